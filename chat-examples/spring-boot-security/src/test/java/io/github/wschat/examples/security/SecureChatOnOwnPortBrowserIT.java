package io.github.wschat.examples.security;

import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * {@link SecureChatBrowserIT} with the chat on Netty, on a port of its own: the same page, served by
 * the application, learns from the application where the chat is and gets the logged-in user's ticket
 * ({@code GET /chat}), and the browsers chat on the chat's port under their names.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"wschat.transport=netty", "wschat.port=0", "wschat.address=127.0.0.1"})
class SecureChatOnOwnPortBrowserIT extends SecureChatBrowserIT {

    @Value("${local.wschat.port}")
    int chatPort;

    @Override
    URI chat() {
        return URI.create("ws://127.0.0.1:" + chatPort + "/chat");
    }
}
