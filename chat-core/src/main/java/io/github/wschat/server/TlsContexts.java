package io.github.wschat.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds a server's {@link SSLContext} from a PKCS#12 keystore file, for {@code wss://} (see
 * {@link ChatServer.Builder#tls(SSLContext)}) and for anything that serves beside the chat, such as
 * an HTTPS page server. Stateless.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /**
     * Loads a PKCS#12 keystore (what {@code keytool -genkeypair -storetype PKCS12} or
     * {@code openssl pkcs12 -export} write) into a server context.
     *
     * @param file the keystore file; its key entry is the server's key and certificate chain
     * @param password the keystore's password, also the key's
     * @return a TLS context for a server
     * @throws IOException if the file cannot be read, the password is wrong, or it holds no key
     */
    public static SSLContext fromPkcs12(Path file, char[] password) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            boolean hasKey = false;
            for (String alias : Collections.list(store.aliases())) {
                hasKey |= store.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new IOException("no private key in " + file);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + file + " as a PKCS#12 keystore: " + e.getMessage(), e);
        }
    }
}
