package io.github.wschat.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What every {@link TckClient} does with what it receives: queue messages, remember the close. */
abstract class ReceivingClient implements TckClient {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

    final void received(String text) {
        messages.add(text);
    }

    final boolean closedWith(int code, String reason) {
        return closed.complete(new CloseStatus(code, reason == null ? "" : reason));
    }

    @Override
    public final boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public final String nextMessage(Duration timeout) {
        try {
            String message = messages.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + timeout + (isClosed() ? "; closed: " + closed.join() : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public final List<String> nextMessages(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> received = new ArrayList<>(count);
        while (received.size() < count) {
            long left = deadline - System.nanoTime();
            try {
                String message = messages.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("got " + received.size() + " of " + count + " messages within " + timeout);
                }
                received.add(message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        return received;
    }

    @Override
    public final CloseStatus awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not closed within " + timeout);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public final void close() {
        if (!isClosed()) {
            abort();
        }
    }
}
