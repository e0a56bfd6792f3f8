package io.github.wschat.tck.autobahn;

/**
 * The outcome of one case: its verdict on the server's behaviour and on its closing, as the Autobahn
 * TestSuite's report gives them. Immutable.
 *
 * @param id the case's number, e.g. {@code 6.4.1}
 * @param section its section
 * @param sends what the fuzzer sent, in words
 * @param behavior the verdict on the server's events
 * @param close the verdict on the closing
 * @param detail why, where a verdict is not OK; else empty
 * @param closeCode the server's close code, or null for none
 * @param millis how long the case took, from the opening handshake to the end of the connection
 * @param timed whether the case measures time (sections 9 and 10): its {@code millis} is a figure to report
 */
public record AutobahnResult(String id, int section, String sends, Verdict behavior, Verdict close, String detail,
        Integer closeCode, long millis, boolean timed) {

    /**
     * Whether the case failed: its behaviour or its closing FAILED, or a wrong code where the case's own
     * rule does not forgive it.
     *
     * @return true if failed
     */
    public boolean failed() {
        return behavior == Verdict.FAILED || close == Verdict.FAILED;
    }
}
