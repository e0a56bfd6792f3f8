package io.github.wschat.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Holds a connection's work (its open, its frames, its close) until the asynchronous join hooks
 * decided: {@link #open()} runs what waits, in order, and then runs work as it comes; {@link #refuse()}
 * drops what waits and what comes. Under a sequential executor, so at most one task waits here.
 * Thread-safe.
 */
final class JoinGate implements Executor {

    private enum State { WAITING, OPEN, REFUSED }

    private final List<Runnable> held = new ArrayList<>(1);
    private State state = State.WAITING;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (state == State.WAITING) {
                held.add(task);
                return;
            }
            if (state == State.REFUSED) {
                return;
            }
        }
        task.run();
    }

    /** Lets the work through: what waits runs now, on this thread. */
    void open() {
        List<Runnable> waiting;
        synchronized (this) {
            if (state != State.WAITING) {
                return;
            }
            state = State.OPEN;
            waiting = List.copyOf(held);
            held.clear();
        }
        waiting.forEach(Runnable::run);
    }

    /** Drops what waits and whatever comes. */
    synchronized void refuse() {
        state = State.REFUSED;
        held.clear();
    }
}
