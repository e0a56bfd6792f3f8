package io.github.wschat.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The one completed outcome of {@link Broker#placed()}: a minimal stage, which nobody can complete again. */
final class PlacedOutcome {

    static final CompletionStage<Void> PLACED = CompletableFuture.completedStage(null);

    private PlacedOutcome() {
    }
}
