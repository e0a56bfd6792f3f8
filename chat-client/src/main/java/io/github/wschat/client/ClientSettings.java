package io.github.wschat.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** What {@link ChatClient.Builder} gathered, checked. */
record ClientSettings(List<URI> uris, String nick, Consumer<ChatEvent> listener, Duration initialBackoff,
        Duration maxBackoff, int maxPending, Duration connectTimeout, Duration pingInterval, HttpClient httpClient) {
}
