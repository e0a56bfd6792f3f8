package io.github.wschat.tck.autobahn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/** Runs one case against a server: the script, the case's ending, then the judgement. */
final class Runner {

    /** After the events matched, how long a case waits for more before it closes (the suite waits its whole delay). */
    private static final long SETTLE_MILLIS = 100;

    private Runner() {
    }

    static AutobahnResult run(AutobahnCase c, InetSocketAddress server, double timeScale) {
        Fuzzer fuzzer;
        try {
            fuzzer = Fuzzer.open(server, "/", timeScale, c.offer());
        } catch (IOException e) {
            return new AutobahnResult(c.id(), c.section(), c.sends(), Verdict.FAILED, Verdict.FAILED,
                    "opening handshake: " + e.getMessage(), null, 0, c.echo() != null);
        }
        try (fuzzer) {
            if (c.closing().byFuzzer() && c.echo() == null) {
                // The suite's finishWhenDone: once the events are as every expected list says, the fuzzer closes.
                fuzzer.onEvent(() -> {
                    if (matchesEvery(c, fuzzer)) {
                        try {
                            fuzzer.sendClose(c.closing().codes().get(0), "");
                        } catch (IOException gone) {
                            // judged as it ends
                        }
                    }
                });
            }
            c.script().run(fuzzer);
            long limit = fuzzer.scaled(c.ending().seconds());
            if (c.ending().kill()) {
                if (!fuzzer.awaitClosed(limit)) {
                    fuzzer.kill();
                }
            } else {
                if (fuzzer.awaitReceived(events -> matchesAny(c, events), limit)) {
                    fuzzer.awaitClosed(SETTLE_MILLIS);
                }
                fuzzer.sendClose(1000, "");
                if (!fuzzer.awaitClosed(5_000)) {
                    fuzzer.kill();
                }
            }
            fuzzer.awaitClosed(5_000);
        } catch (Exception e) {
            fuzzer.kill();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        return Judge.judge(c, fuzzer.seen());
    }

    private static boolean matchesEvery(AutobahnCase c, Fuzzer fuzzer) {
        List<Event> received = fuzzer.seen().received();
        return !c.expected().isEmpty() && c.expected().values().stream().allMatch(received::equals);
    }

    private static boolean matchesAny(AutobahnCase c, List<Event> received) {
        return c.expected().values().stream().anyMatch(received::equals);
    }
}
