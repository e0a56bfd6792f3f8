package io.github.wschat.history.jdbc;

import io.github.wschat.app.PlacedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one append writes: a batch's public events, and the epochs whose rows go with them (keys as
 * {@link KnownEpochs}' to their earliest time in the batch). A batch's events come in runs of one room
 * and epoch: one look at the known epochs per run, with the run's earliest time (an epoch needs its
 * row written if any of the run's times does). Filled by {@link #add}, a method called once an event,
 * which the JIT compiles fully within seconds (a loop in a method that runs a few times a second stays
 * interpreted, then in C1's profiling tier, for minutes). Not thread-safe: one per append.
 */
final class BatchPlan {

    final List<PlacedEvent> kept;
    final Map<String, Long> epochs = new HashMap<>();
    private final KnownEpochs known;
    private PlacedEvent runStart;
    private long runEarliest;

    private BatchPlan(int size, KnownEpochs known) {
        this.kept = new ArrayList<>(size);
        this.known = known;
    }

    /** The plan for these events, against the epochs this store has written. */
    static BatchPlan of(List<PlacedEvent> events, KnownEpochs known) {
        BatchPlan plan = new BatchPlan(events.size(), known);
        for (PlacedEvent event : events) {
            plan.add(event);
        }
        plan.endRun();
        return plan;
    }

    private void add(PlacedEvent event) {
        if (!event.event().isPublic()) {
            return;
        }
        kept.add(event);
        if (runStart != null && runStart.room().equals(event.room()) && runStart.epoch().equals(event.epoch())) {
            runEarliest = Math.min(runEarliest, event.time());
            return;
        }
        endRun();
        runStart = event;
        runEarliest = event.time();
    }

    /** Adds the current run's epoch to those whose rows go with the batch, if it needs it. */
    private void endRun() {
        if (runStart == null) {
            return;
        }
        String key = runStart.room() + '\n' + runStart.epoch();
        if (known.needsWrite(key, runEarliest)) {
            epochs.merge(key, runEarliest, Math::min);
        }
        runStart = null;
    }
}
