package io.github.wschat.tck.autobahn;

import java.util.List;
import java.util.Map;

/**
 * One conformance case, as the Autobahn TestSuite defines it: what the fuzzer sends ({@link #script}),
 * how long it then waits ({@link #ending}), and how the outcome is judged — the server's events
 * against each acceptable list ({@link #expected}, in the order OK, NON-STRICT, INFORMATIONAL), its
 * closing against {@link #closing}, and the case's own {@link Rule}. Data plus one judgement
 * ({@link Judge}). Immutable.
 *
 * @param id the suite's number, e.g. {@code 5.19}
 * @param section the section, e.g. {@code 5}
 * @param sends what the fuzzer sends, in words
 * @param large whether the case moves megabytes (run under the {@code conformance} profile only, where CI
 *     has a time budget)
 * @param offer the extensions the fuzzer offers in its handshake (sections 12 and 13), or null
 */
record AutobahnCase(String id, int section, String sends, Script script, Ending ending, Map<Verdict, List<Event>> expected,
        Closing closing, Rule rule, Echo echo, boolean large, String offer) {

    /** What the fuzzer does after the opening handshake. */
    @FunctionalInterface
    interface Script {
        void run(Fuzzer fuzzer) throws Exception;
    }

    /**
     * What the fuzzer does once its script is sent: {@code kill} drops the connection after that many
     * seconds if it still stands; {@code close} starts the closing handshake then (or, once the events
     * match an expected list, a moment after them).
     */
    record Ending(boolean kill, double seconds) {
    }

    /**
     * How the connection must end.
     *
     * @param byFuzzer whether the fuzzer starts the closing handshake (else the server fails the connection)
     * @param codes the close codes accepted from the server
     * @param clean whether the closing handshake must complete and the server drop the connection
     * @param wrongEndpointFails whether a close by the wrong side fails the case itself (the UTF-8 cases:
     *     the server did not see the bad text)
     */
    record Closing(boolean byFuzzer, List<Integer> codes, boolean clean, boolean wrongEndpointFails) {
    }

    /** A case's own rule, beside the common judgement. */
    enum Rule {
        /** As the events and the closing say. */
        STANDARD,
        /** A wrong close code fails the case itself (section 7). */
        WRONG_CODE_FAILS,
        /** What happens is not defined by RFC 6455: reported, never failed (7.13). */
        INFORMATIONAL
    }

    /**
     * For the limits and performance cases (sections 9 and 10): OK when {@code count} echoes of
     * {@code length} bytes came back, of the right type, within the case's time; the time is reported.
     */
    record Echo(int count, int length, boolean binary) {
    }
}
