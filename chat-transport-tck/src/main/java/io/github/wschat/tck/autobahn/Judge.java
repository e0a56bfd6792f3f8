package io.github.wschat.tck.autobahn;

import java.util.List;

/**
 * Judges what a case saw as the Autobahn TestSuite does: the events against each acceptable list (the
 * first that matches names the verdict, none is FAILED), then the closing — by the right side, clean
 * where the case requires it, with an accepted code — and then the case's own rule.
 */
final class Judge {

    private Judge() {
    }

    static AutobahnResult judge(AutobahnCase c, Fuzzer.Seen seen) {
        Verdict behavior = Verdict.FAILED;
        String detail = "the server's events differ from every expected list: " + shorten(seen.received());
        if (seen.unimplemented()) {
            behavior = Verdict.UNIMPLEMENTED;
            detail = "the server declined permessage-deflate";
        } else if (seen.failure() != null) {
            detail = seen.failure();
        } else if (c.echo() != null) {
            long echoes = seen.received().stream()
                    .filter(e -> e.isMessage() && e.binary() == c.echo().binary() && e.length() == c.echo().length()).count();
            long messages = seen.received().stream().filter(Event::isMessage).count();
            if (echoes == c.echo().count() && messages == echoes) {
                behavior = Verdict.OK;
                detail = "";
            } else {
                detail = "expected " + c.echo().count() + " echo(es) of " + c.echo().length() + " bytes, got "
                        + shorten(seen.received());
            }
        } else {
            for (Verdict verdict : new Verdict[] {Verdict.OK, Verdict.NON_STRICT, Verdict.INFORMATIONAL}) {
                List<Event> expected = c.expected().get(verdict);
                if (expected != null && expected.equals(seen.received())) {
                    behavior = verdict;
                    detail = verdict == Verdict.OK ? "" : "events as the suite allows: " + shorten(seen.received());
                    break;
                }
            }
        }
        AutobahnCase.Closing closing = c.closing();
        Verdict close;
        String closeDetail = "";
        if (closing.byFuzzer() != seen.closedByMe()) {
            close = Verdict.FAILED;
            closeDetail = (closing.byFuzzer() ? "the server failed the connection, where the fuzzer was to close it"
                    : "the server did not fail the connection (the fuzzer closed it)") + " (close code "
                    + seen.remoteCloseCode() + (seen.notClean().isEmpty() ? "" : ", " + seen.notClean()) + ")";
            if (closing.wrongEndpointFails()) {
                behavior = Verdict.FAILED;
            }
        } else if (closing.clean() && !seen.wasClean()) {
            close = Verdict.UNCLEAN;
            closeDetail = seen.notClean();
        } else if (seen.remoteCloseCode() != null && !closing.codes().contains(seen.remoteCloseCode())) {
            close = Verdict.WRONG_CODE;
            closeDetail = "close code " + seen.remoteCloseCode() + ", expected " + closing.codes();
        } else {
            close = Verdict.OK;
        }
        if (c.rule() == AutobahnCase.Rule.WRONG_CODE_FAILS && close == Verdict.WRONG_CODE) {
            behavior = Verdict.FAILED;
            detail = closeDetail;
        }
        if (c.rule() == AutobahnCase.Rule.INFORMATIONAL) {
            detail = "the server sent " + shorten(seen.received()) + " and "
                    + (seen.remoteCloseCode() == null ? "no close code" : "close code " + seen.remoteCloseCode())
                    + (seen.closedByMe() ? "" : ", failing the connection");
            behavior = Verdict.INFORMATIONAL;
            close = Verdict.INFORMATIONAL;
        }
        return new AutobahnResult(c.id(), c.section(), c.sends(), behavior, close,
                String.join("; ", List.of(detail, closeDetail).stream().filter(s -> !s.isEmpty()).toList()),
                seen.remoteCloseCode(), seen.millis(), c.echo() != null);
    }

    private static String shorten(List<Event> events) {
        String all = events.toString();
        return all.length() > 200 ? all.substring(0, 200) + "…]" : all;
    }
}
