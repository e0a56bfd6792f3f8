package io.github.wschat.tck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway PKCS#12 keystore with a self-signed certificate for {@code localhost} and
 * {@code 127.0.0.1}, made by the running JDK's {@code keytool}, for tests of {@code wss://}.
 * Immutable.
 *
 * @param file the keystore file
 * @param password its password, also the key's
 */
public record SelfSignedKeystore(Path file, String password) {

    /**
     * Generates a keystore in a directory (a JUnit {@code @TempDir}, say).
     *
     * @param directory where to write {@code test-keystore.p12}
     * @return the keystore
     * @throws IOException if keytool fails
     */
    public static SelfSignedKeystore generate(Path directory) throws IOException {
        Path file = directory.resolve("test-keystore.p12");
        String password = "wschat-test";
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "wschat",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", password, "-keypass", password))
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while keytool ran", e);
        }
        return new SelfSignedKeystore(file, password);
    }

    /**
     * A client context that trusts this keystore's certificate and nothing else.
     *
     * @return the context
     * @throws IOException if the keystore cannot be read
     */
    public SSLContext trustingClientContext() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + file, e);
        }
    }
}
