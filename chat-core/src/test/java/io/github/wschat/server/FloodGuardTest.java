package io.github.wschat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wschat.server.FloodGuard.Verdict;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FloodGuardTest {

    private final AtomicLong now = new AtomicLong();
    private final FloodGuard guard = new FloodGuard(20, 40, now::get);

    /** Sends at the given rate for the given time; returns how many of each verdict came back. */
    private int[] send(double perSecond, double seconds) {
        int[] verdicts = new int[3];
        long step = (long) (1e9 / perSecond);
        for (int i = 0; i < perSecond * seconds; i++) {
            now.addAndGet(step);
            Verdict verdict = guard.check();
            verdicts[verdict.ordinal()]++;
            if (verdict == Verdict.DISCONNECT) {
                break;
            }
        }
        return verdicts;
    }

    @Test
    void aBurstPassesThenTheRateHolds() {
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (guard.check() == Verdict.ACCEPT) {
                accepted++;
            }
        }
        assertEquals(40, accepted, "the burst, all at one instant");
        assertEquals(1200, send(20, 60)[Verdict.ACCEPT.ordinal()], "20 a second for a minute, all accepted");
    }

    @Test
    void twiceTheRateIsThrottledButNeverDisconnected() {
        int[] verdicts = send(40, 60);
        assertEquals(0, verdicts[Verdict.DISCONNECT.ordinal()]);
        assertEquals(true, verdicts[Verdict.REFUSE.ordinal()] > 1000);
    }

    @Test
    void fiveTimesTheRateIsDisconnectedWithinTenSeconds() {
        int[] verdicts = send(100, 10);
        assertEquals(1, verdicts[Verdict.DISCONNECT.ordinal()]);
    }
}
