package io.github.wschat.transport.jakarta;

/** The container's own compression, on Jetty. */
class ContainerCompressionOnJettyTest extends ContainerCompressionCases {

    @Override
    EmbeddedContainer container(boolean containerCompression) {
        return new EmbeddedJetty(containerCompression);
    }
}
