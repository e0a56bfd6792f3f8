package io.github.wschat.transport.jakarta;

/** The container's own compression, on Tomcat. */
@OnTomcat
class ContainerCompressionOnTomcatTest extends ContainerCompressionCases {

    @Override
    EmbeddedContainer container(boolean containerCompression) {
        return new EmbeddedTomcat(containerCompression);
    }
}
