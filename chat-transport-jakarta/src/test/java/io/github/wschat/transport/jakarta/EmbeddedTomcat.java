package io.github.wschat.transport.jakarta;

import io.github.wschat.spi.TransportOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.websocket.server.WsSci;
import org.awaitility.Awaitility;

/** Tomcat 11, embedded. */
final class EmbeddedTomcat extends EmbeddedContainer {

    EmbeddedTomcat() {
        this(false);
    }

    EmbeddedTomcat(boolean containerCompression) {
        super(containerCompression, false);
    }

    private EmbeddedTomcat(boolean containerCompression, boolean batching) {
        super(containerCompression, batching);
    }

    /** With the container batching messages, flushed when a member's queue empties. */
    static EmbeddedTomcat batching() {
        return new EmbeddedTomcat(false, true);
    }

    static {
        // Tomcat 11 throws an IllegalStateException on its own thread when a session is closed while a
        // message to it is half written (a slow reader dropped over its budget); Tomcat logs it and
        // nothing is lost, but Awaitility would report it as the failure of whatever test awaits then.
        // The Tomcat tests run in a JVM of their own (see the pom), so this touches no other test.
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    @Override
    Running startContainer(TransportOptions options, JakartaTransport transport) throws Exception {
        Path base = Files.createTempDirectory("wschat-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(options.port());
        connector.setProperty("address", options.host());
        connector.setProperty("acceptCount", Integer.toString(options.acceptBacklog()));
        // How long Tomcat waits for the request line after accepting: the handshake deadline.
        connector.setProperty("connectionTimeout", Long.toString(options.handshakeTimeout().toMillis()));
        options.tls().ifPresent(tls -> {
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig host = new SSLHostConfig();
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setSslContext(new GivenContext(tls));
            host.addCertificate(certificate);
            connector.addSslHostConfig(host);
        });
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", base.toString());
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> transport.mount(servletContext), null);
        tomcat.start();
        return new Running() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void stop() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }

    /** Tomcat's view of a ready JSSE context. */
    private record GivenContext(javax.net.ssl.SSLContext context) implements SSLContext {
        @Override
        public void init(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
            // ready already
        }

        @Override
        public void destroy() {
            // nothing held
        }

        @Override
        public SSLSessionContext getServerSessionContext() {
            return context.getServerSessionContext();
        }

        @Override
        public SSLEngine createSSLEngine() {
            return context.createSSLEngine();
        }

        @Override
        public SSLServerSocketFactory getServerSocketFactory() {
            return context.getServerSocketFactory();
        }

        @Override
        public SSLParameters getSupportedSSLParameters() {
            return context.getSupportedSSLParameters();
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[0];
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
