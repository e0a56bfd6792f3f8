package io.github.wschat.tck.autobahn;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cases of the Autobahn TestSuite's sections 1-7, 9, 10, 12 and 13, as its case definitions give them
 * (same frames, same order, same expectations, same numbering), written here as data for {@link Judge}:
 * framing (1), pings and pongs (2), reserved bits (3), opcodes (4), fragmentation (5), UTF-8 (6),
 * close handling (7), limits and performance (9), auto-fragmentation (10), permessage-deflate with
 * payloads of several kinds (12) and with each offer (13). Payloads are written
 * {@code ""}, {@code hex:…} or {@code rep:BYTE:COUNT}. Immutable once built.
 */
final class Cases {

    private final List<AutobahnCase> all = new ArrayList<>();

    private Cases() {
    }

    /** Every case, in the suite's order. */
    static List<AutobahnCase> all() {
        Cases cases = new Cases();
        cases.framingToCloseHandling();
        cases.utf8();
        cases.limits();
        cases.autoFragmentation();
        cases.compression();
        cases.specs.forEach(spec -> cases.all.add(spec.build()));
        cases.all.sort(java.util.Comparator.comparing(c -> Arrays.stream(c.id().split("\\."))
                .map(n -> String.format(Locale.ROOT, "%05d", Integer.parseInt(n))).toList().toString()));
        return List.copyOf(cases.all);
    }

    /** Sections 1-5 and 7: each case as its definition sends and expects it. */
    private void framingToCloseHandling() {
        spec("1.1.1").frame(1, "hex:").killAfter(1).ok(msg("hex:", false)).byFuzzer(1000);
        spec("1.1.2").frame(1, "rep:2a:125").killAfter(1).ok(msg("rep:2a:125", false)).byFuzzer(1000);
        spec("1.1.3").frame(1, "rep:2a:126").killAfter(1).ok(msg("rep:2a:126", false)).byFuzzer(1000);
        spec("1.1.4").frame(1, "rep:2a:127").killAfter(1).ok(msg("rep:2a:127", false)).byFuzzer(1000);
        spec("1.1.5").frame(1, "rep:2a:128").killAfter(1).ok(msg("rep:2a:128", false)).byFuzzer(1000);
        spec("1.1.6").frame(1, "rep:2a:65535").killAfter(10).ok(msg("rep:2a:65535", false)).byFuzzer(1000);
        spec("1.1.7").frame(1, "rep:2a:65536").killAfter(10).ok(msg("rep:2a:65536", false)).byFuzzer(1000);
        spec("1.1.8").frame(1, "rep:2a:65536").chop(997).killAfter(10).ok(msg("rep:2a:65536", false)).byFuzzer(1000);
        spec("1.2.1").frame(2, "hex:").killAfter(1).ok(msg("hex:", true)).byFuzzer(1000);
        spec("1.2.2").frame(2, "rep:fe:125").killAfter(1).ok(msg("rep:fe:125", true)).byFuzzer(1000);
        spec("1.2.3").frame(2, "rep:fe:126").killAfter(1).ok(msg("rep:fe:126", true)).byFuzzer(1000);
        spec("1.2.4").frame(2, "rep:fe:127").killAfter(1).ok(msg("rep:fe:127", true)).byFuzzer(1000);
        spec("1.2.5").frame(2, "rep:fe:128").killAfter(1).ok(msg("rep:fe:128", true)).byFuzzer(1000);
        spec("1.2.6").frame(2, "rep:fe:65535").killAfter(10).ok(msg("rep:fe:65535", true)).byFuzzer(1000);
        spec("1.2.7").frame(2, "rep:fe:65536").killAfter(10).ok(msg("rep:fe:65536", true)).byFuzzer(1000);
        spec("1.2.8").frame(2, "rep:fe:65536").chop(997).killAfter(10).ok(msg("rep:fe:65536", true)).byFuzzer(1000);
        spec("2.1").frame(9, "").closeAfter(1).ok(pong("hex:")).byFuzzer(1000);
        spec("2.2").frame(9, "hex:48656c6c6f2c20776f726c6421").closeAfter(1).ok(pong("hex:48656c6c6f2c20776f726c6421")).byFuzzer(1000);
        spec("2.3").frame(9, "hex:00fffefdfcfb00ff").closeAfter(1).ok(pong("hex:00fffefdfcfb00ff")).byFuzzer(1000);
        spec("2.4").frame(9, "rep:fe:125").closeAfter(1).ok(pong("rep:fe:125")).byFuzzer(1000);
        spec("2.5").frame(9, "rep:fe:126").killAfter(1).ok().byServer(1002);
        spec("2.6").frame(9, "rep:fe:125").chop(1).closeAfter(2).ok(pong("rep:fe:125")).byFuzzer(1000);
        spec("2.7").frame(10, "").close(1000, "").closeAfter(1).ok().byFuzzer(1000);
        spec("2.8").frame(10, "hex:756e736f6c69636974656420706f6e67207061796c6f6164").close(1000, "").closeAfter(1).ok().byFuzzer(1000);
        spec("2.9").frame(10, "hex:756e736f6c69636974656420706f6e67207061796c6f6164").frame(9, "hex:70696e67207061796c6f6164").closeAfter(1).ok(pong("hex:70696e67207061796c6f6164")).byFuzzer(1000);
        spec("2.10").frame(9, "hex:7061796c6f61642d30").frame(9, "hex:7061796c6f61642d31").frame(9, "hex:7061796c6f61642d32").frame(9, "hex:7061796c6f61642d33").frame(9, "hex:7061796c6f61642d34").frame(9, "hex:7061796c6f61642d35").frame(9, "hex:7061796c6f61642d36").frame(9, "hex:7061796c6f61642d37").frame(9, "hex:7061796c6f61642d38").frame(9, "hex:7061796c6f61642d39").closeAfter(3).ok(pong("hex:7061796c6f61642d30"), pong("hex:7061796c6f61642d31"), pong("hex:7061796c6f61642d32"), pong("hex:7061796c6f61642d33"), pong("hex:7061796c6f61642d34"), pong("hex:7061796c6f61642d35"), pong("hex:7061796c6f61642d36"), pong("hex:7061796c6f61642d37"), pong("hex:7061796c6f61642d38"), pong("hex:7061796c6f61642d39")).byFuzzer(1000);
        spec("2.11").frame(9, "hex:7061796c6f61642d30").chop(1).frame(9, "hex:7061796c6f61642d31").chop(1).frame(9, "hex:7061796c6f61642d32").chop(1).frame(9, "hex:7061796c6f61642d33").chop(1).frame(9, "hex:7061796c6f61642d34").chop(1).frame(9, "hex:7061796c6f61642d35").chop(1).frame(9, "hex:7061796c6f61642d36").chop(1).frame(9, "hex:7061796c6f61642d37").chop(1).frame(9, "hex:7061796c6f61642d38").chop(1).frame(9, "hex:7061796c6f61642d39").chop(1).closeAfter(3).ok(pong("hex:7061796c6f61642d30"), pong("hex:7061796c6f61642d31"), pong("hex:7061796c6f61642d32"), pong("hex:7061796c6f61642d33"), pong("hex:7061796c6f61642d34"), pong("hex:7061796c6f61642d35"), pong("hex:7061796c6f61642d36"), pong("hex:7061796c6f61642d37"), pong("hex:7061796c6f61642d38"), pong("hex:7061796c6f61642d39")).byFuzzer(1000);
        spec("3.1").frame(1, "hex:48656c6c6f2c20776f726c6421").rsv(1).killAfter(1).ok().byServer(1002);
        spec("3.2").frame(1, "hex:48656c6c6f2c20776f726c6421").frame(1, "hex:48656c6c6f2c20776f726c6421").rsv(2).frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("3.3").frame(1, "hex:48656c6c6f2c20776f726c6421").frame(1, "hex:48656c6c6f2c20776f726c6421").rsv(3).frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("3.4").frame(1, "hex:48656c6c6f2c20776f726c6421").chop(1).frame(1, "hex:48656c6c6f2c20776f726c6421").rsv(4).chop(1).frame(9, "").chop(1).killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("3.5").frame(2, "hex:00fffefdfcfb00ff").rsv(5).killAfter(1).ok().byServer(1002);
        spec("3.6").frame(2, "hex:48656c6c6f2c20776f726c6421").rsv(6).killAfter(1).ok().byServer(1002);
        spec("3.7").frame(8, "").rsv(7).killAfter(1).ok().byServer(1002);
        spec("4.1.1").frame(3, "").killAfter(1).ok().byServer(1002);
        spec("4.1.2").frame(4, "hex:7265736572766564206f70636f6465207061796c6f6164").killAfter(1).ok().byServer(1002);
        spec("4.1.3").frame(1, "hex:48656c6c6f2c20776f726c6421").frame(5, "").frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("4.1.4").frame(1, "hex:48656c6c6f2c20776f726c6421").frame(6, "hex:48656c6c6f2c20776f726c6421").frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("4.1.5").frame(1, "hex:48656c6c6f2c20776f726c6421").chop(1).frame(7, "hex:48656c6c6f2c20776f726c6421").chop(1).frame(9, "").chop(1).killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("4.2.1").frame(11, "").killAfter(1).ok().byServer(1002);
        spec("4.2.2").frame(12, "hex:7265736572766564206f70636f6465207061796c6f6164").killAfter(1).ok().byServer(1002);
        spec("4.2.3").frame(1, "hex:48656c6c6f2c20776f726c6421").frame(13, "").frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("4.2.4").frame(1, "hex:48656c6c6f2c20776f726c6421").frame(14, "hex:48656c6c6f2c20776f726c6421").frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("4.2.5").frame(1, "hex:48656c6c6f2c20776f726c6421").chop(1).frame(15, "hex:48656c6c6f2c20776f726c6421").chop(1).frame(9, "").chop(1).killAfter(1).ok(msg("hex:48656c6c6f2c20776f726c6421", false)).nonStrict().byServer(1002);
        spec("5.1").frame(9, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").killAfter(1).ok().byServer(1002);
        spec("5.2").frame(10, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").killAfter(1).ok().byServer(1002);
        spec("5.3").frame(1, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").closeAfter(1).ok(msg("hex:667261676d656e7431667261676d656e7432", false)).byFuzzer(1000);
        spec("5.4").frame(1, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").closeAfter(1).ok(msg("hex:667261676d656e7431667261676d656e7432", false)).byFuzzer(1000);
        spec("5.5").frame(1, "hex:667261676d656e7431").fin(false).chop(1).frame(0, "hex:667261676d656e7432").chop(1).closeAfter(1).ok(msg("hex:667261676d656e7431667261676d656e7432", false)).byFuzzer(1000);
        spec("5.6").frame(1, "hex:667261676d656e7431").fin(false).frame(9, "hex:70696e67207061796c6f6164").frame(0, "hex:667261676d656e7432").closeAfter(1).ok(pong("hex:70696e67207061796c6f6164"), msg("hex:667261676d656e7431667261676d656e7432", false)).byFuzzer(1000);
        spec("5.7").frame(1, "hex:667261676d656e7431").fin(false).frame(9, "hex:70696e67207061796c6f6164").frame(0, "hex:667261676d656e7432").closeAfter(1).ok(pong("hex:70696e67207061796c6f6164"), msg("hex:667261676d656e7431667261676d656e7432", false)).byFuzzer(1000);
        spec("5.8").frame(1, "hex:667261676d656e7431").fin(false).chop(1).frame(9, "hex:70696e67207061796c6f6164").chop(1).frame(0, "hex:667261676d656e7432").chop(1).closeAfter(1).ok(pong("hex:70696e67207061796c6f6164"), msg("hex:667261676d656e7431667261676d656e7432", false)).byFuzzer(1000);
        spec("5.9").frame(0, "hex:6e6f6e2d636f6e74696e756174696f6e207061796c6f6164").frame(1, "hex:48656c6c6f2c20776f726c6421").killAfter(1).ok().byServer(1002);
        spec("5.10").frame(0, "hex:6e6f6e2d636f6e74696e756174696f6e207061796c6f6164").frame(1, "hex:48656c6c6f2c20776f726c6421").killAfter(1).ok().byServer(1002);
        spec("5.11").frame(0, "hex:6e6f6e2d636f6e74696e756174696f6e207061796c6f6164").chop(1).frame(1, "hex:48656c6c6f2c20776f726c6421").chop(1).killAfter(1).ok().byServer(1002);
        spec("5.12").frame(0, "hex:6e6f6e2d636f6e74696e756174696f6e207061796c6f6164").fin(false).frame(1, "hex:48656c6c6f2c20776f726c6421").killAfter(1).ok().byServer(1002);
        spec("5.13").frame(0, "hex:6e6f6e2d636f6e74696e756174696f6e207061796c6f6164").fin(false).frame(1, "hex:48656c6c6f2c20776f726c6421").killAfter(1).ok().byServer(1002);
        spec("5.14").frame(0, "hex:6e6f6e2d636f6e74696e756174696f6e207061796c6f6164").fin(false).chop(1).frame(1, "hex:48656c6c6f2c20776f726c6421").chop(1).killAfter(1).ok().byServer(1002);
        spec("5.15").frame(1, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").frame(0, "hex:667261676d656e7433").fin(false).frame(1, "hex:667261676d656e7434").killAfter(1).ok(msg("hex:667261676d656e7431667261676d656e7432", false)).nonStrict().byServer(1002);
        spec("5.16").frame(0, "hex:667261676d656e7431").fin(false).frame(1, "hex:667261676d656e7432").fin(false).frame(0, "hex:667261676d656e7433").frame(0, "hex:667261676d656e7431").fin(false).frame(1, "hex:667261676d656e7432").fin(false).frame(0, "hex:667261676d656e7433").killAfter(1).ok().byServer(1002);
        spec("5.17").frame(0, "hex:667261676d656e7431").frame(1, "hex:667261676d656e7432").fin(false).frame(0, "hex:667261676d656e7433").frame(0, "hex:667261676d656e7431").frame(1, "hex:667261676d656e7432").fin(false).frame(0, "hex:667261676d656e7433").killAfter(1).ok().byServer(1002);
        spec("5.18").frame(1, "hex:667261676d656e7431").fin(false).frame(1, "hex:667261676d656e7432").killAfter(1).ok().byServer(1002);
        spec("5.19").frame(1, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").fin(false).frame(9, "hex:706f6e676d65203121").later(1).frame(0, "hex:667261676d656e7433").fin(false).frame(0, "hex:667261676d656e7434").fin(false).frame(9, "hex:706f6e676d65203221").frame(0, "hex:667261676d656e7435").closeAfter(1).ok(pong("hex:706f6e676d65203121"), pong("hex:706f6e676d65203221"), msg("hex:667261676d656e7431667261676d656e7432667261676d656e7433667261676d656e7434667261676d656e7435", false)).byFuzzer(1000);
        spec("5.20").frame(1, "hex:667261676d656e7431").fin(false).frame(0, "hex:667261676d656e7432").fin(false).frame(9, "hex:706f6e676d65203121").later(1).frame(0, "hex:667261676d656e7433").fin(false).frame(0, "hex:667261676d656e7434").fin(false).frame(9, "hex:706f6e676d65203221").frame(0, "hex:667261676d656e7435").closeAfter(1).ok(pong("hex:706f6e676d65203121"), pong("hex:706f6e676d65203221"), msg("hex:667261676d656e7431667261676d656e7432667261676d656e7433667261676d656e7434667261676d656e7435", false)).byFuzzer(1000);
        spec("7.1.1").frame(1, "hex:48656c6c6f20576f726c6421").killAfter(1).ok(msg("hex:48656c6c6f20576f726c6421", false)).byFuzzer(1000).wrongCodeFails();
        spec("7.1.2").close(1000, "").frame(8, "").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.1.3").close(1000, "").frame(9, "").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.1.4").close(1000, "").frame(1, "hex:48656c6c6f20576f726c6421").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.1.5").frame(1, "hex:667261676d656e7431").fin(false).close(1000, "").frame(0, "hex:667261676d656e7432").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.1.6").frame(1, "hex:4241736437266a683233").len(262144).frame(1, "hex:48656c6c6f20576f726c6421").close(1000, "").frame(9, "").killAfter(1).ok(msg("hex:48656c6c6f20576f726c6421", false)).nonStrict().byFuzzer(1000).informational();
        spec("7.3.1").closeFrame(null, "").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.3.2").closeFrame(null, "hex:61").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.3.3").close(1000, "").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.3.4").close(1000, "Hello World!").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.3.5").close(1000, "***************************************************************************************************************************").killAfter(1).ok().byFuzzer(1000).wrongCodeFails();
        spec("7.3.6").closeFrame(1000, "rep:2a:124").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.5.1").closeFrame(1000, "hex:cebae1bdb9cf83cebcceb5eda080656469746564").killAfter(1).ok().byFuzzerUnclean(1002, 1007).wrongCodeFails();
        spec("7.7.1").closeFrame(1000, "").killAfter(1).ok().byFuzzer(1000, 1000).wrongCodeFails();
        spec("7.7.2").closeFrame(1001, "").killAfter(1).ok().byFuzzer(1000, 1001).wrongCodeFails();
        spec("7.7.3").closeFrame(1002, "").killAfter(1).ok().byFuzzer(1000, 1002).wrongCodeFails();
        spec("7.7.4").closeFrame(1003, "").killAfter(1).ok().byFuzzer(1000, 1003).wrongCodeFails();
        spec("7.7.5").closeFrame(1007, "").killAfter(1).ok().byFuzzer(1000, 1007).wrongCodeFails();
        spec("7.7.6").closeFrame(1008, "").killAfter(1).ok().byFuzzer(1000, 1008).wrongCodeFails();
        spec("7.7.7").closeFrame(1009, "").killAfter(1).ok().byFuzzer(1000, 1009).wrongCodeFails();
        spec("7.7.8").closeFrame(1010, "").killAfter(1).ok().byFuzzer(1000, 1010).wrongCodeFails();
        spec("7.7.9").closeFrame(1011, "").killAfter(1).ok().byFuzzer(1000, 1011).wrongCodeFails();
        spec("7.7.10").closeFrame(3000, "").killAfter(1).ok().byFuzzer(1000, 3000).wrongCodeFails();
        spec("7.7.11").closeFrame(3999, "").killAfter(1).ok().byFuzzer(1000, 3999).wrongCodeFails();
        spec("7.7.12").closeFrame(4000, "").killAfter(1).ok().byFuzzer(1000, 4000).wrongCodeFails();
        spec("7.7.13").closeFrame(4999, "").killAfter(1).ok().byFuzzer(1000, 4999).wrongCodeFails();
        spec("7.9.1").closeFrame(0, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.2").closeFrame(999, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.3").closeFrame(1004, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.4").closeFrame(1005, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.5").closeFrame(1006, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.6").closeFrame(1016, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.7").closeFrame(1100, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.8").closeFrame(2000, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.9.9").closeFrame(2999, "").killAfter(1).ok().byFuzzerUnclean(1002).wrongCodeFails();
        spec("7.13.1").closeFrame(5000, "").killAfter(1).ok().byFuzzerUnclean(1000, 5000, 1002).informational();
        spec("7.13.2").closeFrame(65535, "").killAfter(1).ok().byFuzzerUnclean(1000, 65535, 1002).informational();
    }

    /** Section 6: UTF-8 in text messages, whole, fragmented, and judged as soon as it is invalid. */
    private void utf8() {
        spec("6.1.1").frame(1, "").closeAfter(1).ok(msg("", false)).byFuzzer(1000);
        spec("6.1.2").frame(1, "").fin(false).frame(0, "").fin(false).frame(0, "").closeAfter(1).ok(msg("", false)).byFuzzer(1000);
        spec("6.1.3").frame(1, "").fin(false).frame(0, text("middle frame payload")).fin(false).frame(0, "").closeAfter(1)
                .ok(msg(text("middle frame payload"), false)).byFuzzer(1000);
        String hello = text("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
        spec("6.2.1").message(hello, false, 0).closeAfter(1).ok(msg(hello, false)).byFuzzer(1000);
        spec("6.2.2").frame(1, text("Hello-\u00b5@\u00df\u00f6\u00e4")).fin(false).frame(0, text("\u00fc\u00e0\u00e1-UTF-8!!"))
                .closeAfter(1).ok(msg(hello, false)).byFuzzer(1000);
        spec("6.2.3").message(hello, false, 1).closeAfter(1).ok(msg(hello, false)).byFuzzer(1000);
        String kosme = "hex:cebae1bdb9cf83cebcceb5";
        spec("6.2.4").message(kosme, false, 1).closeAfter(1).ok(msg(kosme, false)).byFuzzer(1000);
        String invalid = "hex:cebae1bdb9cf83cebcceb5eda080656469746564";
        spec("6.3.1").message(invalid, false, 0).killAfter(1).ok().byServerUtf8();
        spec("6.3.2").message(invalid, false, 1).killAfter(1).ok().byServerUtf8();
        // Fail fast: the server should fail the connection on the fragment (6.4.1, 6.4.2) or the part of one
        // frame (6.4.3, 6.4.4) that makes the text invalid, not only when the message is whole.
        byte[] whole = bytes("hex:cebae1bdb9cf83cebcceb5f4908080656469746564");
        failFast("6.4.1", false, Arrays.copyOfRange(whole, 0, 11), Arrays.copyOfRange(whole, 11, 15), Arrays.copyOfRange(whole, 15, 21));
        failFast("6.4.2", false, Arrays.copyOfRange(whole, 0, 12), Arrays.copyOfRange(whole, 12, 13), Arrays.copyOfRange(whole, 13, 21));
        failFast("6.4.3", true, Arrays.copyOfRange(whole, 0, 11), Arrays.copyOfRange(whole, 11, 15), Arrays.copyOfRange(whole, 15, 21));
        failFast("6.4.4", true, Arrays.copyOfRange(whole, 0, 12), Arrays.copyOfRange(whole, 12, 13), Arrays.copyOfRange(whole, 13, 21));
        // 6.5 and on: Markus Kuhn's UTF-8 decoder test, a case per sequence; '+' valid, '-' not.
        utf8Group("Some valid UTF-8 sequences", "+68656c6c6f24776f726c64", "+68656c6c6fc2a2776f726c64", "+68656c6c6fe282ac776f726c64", "+68656c6c6ff0a4ada2776f726c64", "+cebae1bdb9cf83cebcceb5");
        utf8Group("All prefixes of a valid UTF-8 string that contains multi-byte code points", "-ce", "+ceba", "-cebae1", "-cebae1bd", "+cebae1bdb9", "-cebae1bdb9cf", "+cebae1bdb9cf83", "-cebae1bdb9cf83ce", "+cebae1bdb9cf83cebc", "-cebae1bdb9cf83cebcce", "+cebae1bdb9cf83cebcceb5");
        utf8Group("First possible sequence of a certain length", "+00", "+c280", "+e0a080", "+f0908080");
        utf8Group("First possible sequence length 5/6 (invalid codepoints)", "-f888808080", "-fc8480808080");
        utf8Group("Last possible sequence of a certain length", "+7f", "+dfbf", "+efbfbf", "+f48fbfbf");
        utf8Group("Last possible sequence length 4/5/6 (invalid codepoints)", "-f7bfbfbf", "-fbbfbfbfbf", "-fdbfbfbfbfbf");
        utf8Group("Other boundary conditions", "+ed9fbf", "+ee8080", "+efbfbd", "+f48fbfbf", "-f4908080");
        utf8Group("Unexpected continuation bytes", "-80", "-bf", "-80bf", "-80bf80", "-80bf80bf", "-80bf80bf80", "-80bf80bf80bf", "-808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbe");
        utf8Group("Lonely start characters", "-c020c120c220c320c420c520c620c720c820c920ca20cb20cc20cd20ce20cf20d020d120d220d320d420d520d620d720d820d920da20db20dc20dd20de20", "-e020e120e220e320e420e520e620e720e820e920ea20eb20ec20ed20ee20", "-f020f120f220f320f420f520f620", "-f820f920fa20", "-fc20");
        utf8Group("Sequences with last continuation byte missing", "-c0", "-e080", "-f08080", "-f8808080", "-fc80808080", "-df", "-efbf", "-f7bfbf", "-fbbfbfbf", "-fdbfbfbfbf");
        utf8Group("Concatenation of incomplete sequences", "-c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf");
        utf8Group("Impossible bytes", "-fe", "-ff", "-fefeffff");
        utf8Group("Examples of an overlong ASCII character", "-c0af", "-e080af", "-f08080af", "-f8808080af", "-fc80808080af");
        utf8Group("Maximum overlong sequences", "-c1bf", "-e09fbf", "-f08fbfbf", "-f887bfbfbf", "-fc83bfbfbfbf");
        utf8Group("Overlong representation of the NUL character", "-c080", "-e08080", "-f0808080", "-f880808080", "-fc8080808080");
        utf8Group("Single UTF-16 surrogates", "-eda080", "-edadbf", "-edae80", "-edafbf", "-edb080", "-edbe80", "-edbfbf");
        utf8Group("Paired UTF-16 surrogates", "-eda080edb080", "-eda080edbfbf", "-edadbfedb080", "-edadbfedbfbf", "-edae80edb080", "-edae80edbfbf", "-edafbfedb080", "-edafbfedbfbf");
        utf8Group("Non-character code points (valid UTF-8)", "+efbfbe", "+efbfbf", "+f09fbfbe", "+f09fbfbf", "+f0afbfbe", "+f0afbfbf", "+f0bfbfbe", "+f0bfbfbf", "+f18fbfbe", "+f18fbfbf", "+f19fbfbe", "+f19fbfbf", "+f1afbfbe", "+f1afbfbf", "+f1bfbfbe", "+f1bfbfbf", "+f28fbfbe", "+f28fbfbf", "+f29fbfbe", "+f29fbfbf", "+f2afbfbe", "+f2afbfbf", "+f2bfbfbe", "+f2bfbfbf", "+f38fbfbe", "+f38fbfbf", "+f39fbfbe", "+f39fbfbf", "+f3afbfbe", "+f3afbfbf", "+f3bfbfbe", "+f3bfbfbf", "+f48fbfbe", "+f48fbfbf");
        utf8Group("Unicode specials (i.e. replacement char)", "+efbfb9", "+efbfba", "+efbfbb", "+efbfbc", "+efbfbd", "+efbfbe", "+efbfbf");
    }

    private int utf8Section = 5;

    private void utf8Group(String name, String... sequences) {
        int n = 1;
        for (String sequence : sequences) {
            String payload = "hex:" + sequence.substring(1);
            Spec spec = spec("6." + utf8Section + "." + n++).message(payload, false, 0).killAfter(0.5);
            if (sequence.charAt(0) == '+') {
                spec.ok(msg(payload, false)).byFuzzer(1000);
            } else {
                spec.ok().byServerUtf8();
            }
        }
        utf8Section++;
    }

    /**
     * Three parts of an invalid text message, a second apart, as three frames or as one frame in three
     * writes: OK if the server fails the connection on the second part, NON-STRICT on the third.
     */
    private void failFast(String id, boolean oneFrame, byte[] first, byte[] second, byte[] third) {
        Spec spec = spec(id);
        spec.steps.add(fuzzer -> {
            Fuzzer.FrameStream stream = oneFrame ? fuzzer.beginFrame(1, first.length + second.length + third.length) : null;
            if (oneFrame) {
                stream.write(first);
            } else {
                fuzzer.send(Frame.of(1, first).fin(false));
            }
            fuzzer.pause(1);
            if (!fuzzer.isOpen()) {
                return;
            }
            fuzzer.mark("A");
            if (oneFrame) {
                stream.write(second);
            } else {
                fuzzer.send(Frame.of(0, second).fin(false));
            }
            fuzzer.pause(1);
            if (!fuzzer.isOpen()) {
                return;
            }
            fuzzer.mark("B");
            if (oneFrame) {
                stream.write(third);
            } else {
                fuzzer.send(Frame.of(0, third));
            }
        });
        spec.described.add((oneFrame ? "one text frame written in three parts" : "three text fragments") + ", a second apart, the second making it invalid UTF-8");
        spec.killAfter(1).ok(Event.timeout("A")).nonStrict(Event.timeout("A"), Event.timeout("B")).byServerUtf8();
    }

    /** Section 9: large messages, fragmented and chopped, and many small ones; the time of each is reported. */
    private void limits() {
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        for (int i = 0; i < sizes.length; i++) {
            echo("9.1." + (i + 1), Frame.of(1, repeat(text("BAsd7&jh23"), sizes[i])), 0, sizes[i], false, i < 2 ? 10 : 100);
        }
        for (int i = 0; i < sizes.length; i++) {
            echo("9.2." + (i + 1), Frame.of(2, repeat(bytes("hex:00fe23faf0"), sizes[i])), 0, sizes[i], true, i < 4 ? 10 : 100);
        }
        int[] fragments = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
        for (int i = 0; i < fragments.length; i++) {
            echo("9.3." + (i + 1), Frame.of(1, repeat(new byte[] {'*'}, 4 << 20)), fragments[i], 4 << 20, false, 100);
        }
        for (int i = 0; i < fragments.length; i++) {
            echo("9.4." + (i + 1), Frame.of(2, repeat(new byte[] {(byte) 0xfe}, 4 << 20)), fragments[i], 4 << 20, true, 100);
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        for (int i = 0; i < chops.length; i++) {
            echo("9.5." + (i + 1), Frame.of(1, repeat(text("BAsd7&jh23"), 1 << 20)).chop(chops[i]), 0, 1 << 20, false, 1000);
        }
        for (int i = 0; i < chops.length; i++) {
            echo("9.6." + (i + 1), Frame.of(2, repeat(bytes("hex:00fe23faf0"), 1 << 20)).chop(chops[i]), 0, 1 << 20, true, 1000);
        }
        int[][] roundTrips = {{0, 60}, {16, 60}, {64, 60}, {256, 120}, {1024, 240}, {4096, 480}};
        for (int binary = 0; binary < 2; binary++) {
            for (int i = 0; i < roundTrips.length; i++) {
                int length = roundTrips[i][0];
                byte[] payload = repeat(binary == 1 ? new byte[] {(byte) 0xfe} : new byte[] {'*'}, length);
                Spec spec = spec("9." + (7 + binary) + "." + (i + 1));
                boolean isBinary = binary == 1;
                spec.steps.add(fuzzer -> {
                    for (int sent = 0; sent < 1000; sent++) {
                        fuzzer.send(Frame.of(isBinary ? 2 : 1, payload));
                        int expected = sent + 1;
                        if (!fuzzer.awaitReceived(events -> messages(events) >= expected, 10_000)) {
                            break;
                        }
                    }
                    fuzzer.sendClose(1000, "");
                });
                spec.described.add("1000 " + (isBinary ? "binary" : "text") + " messages of " + length + " bytes, each after the echo of the last");
                spec.echo = new AutobahnCase.Echo(1000, length, isBinary);
                spec.closeAfter(roundTrips[i][1]).byFuzzer(1000);
            }
        }
    }

    /** One large message (in frames of {@code fragmentSize} where positive); its echo ends the case. */
    private void echo(String id, Frame frame, int fragmentSize, int length, boolean binary, int seconds) {
        Spec spec = spec(id);
        spec.steps.add(fuzzer -> {
            if (fragmentSize > 0) {
                fuzzer.sendMessage(frame.payload(), binary, fragmentSize);
            } else {
                fuzzer.send(frame);
            }
            fuzzer.awaitReceived(events -> messages(events) > 0, fuzzer.scaled(seconds));
            fuzzer.sendClose(1000, "");
        });
        spec.described.add((binary ? "binary" : "text") + " message of " + size(length)
                + (fragmentSize > 0 ? " in frames of " + size(fragmentSize) : "")
                + (frame.chop() > 0 ? ", written in pieces of " + frame.chop() + " bytes" : ""));
        spec.echo = new AutobahnCase.Echo(1, length, binary);
        spec.large = length > (1 << 20) || frame.chop() > 0 && frame.chop() < 1024 || fragmentSize > 0 && fragmentSize < 1024;
        spec.closeAfter(seconds).byFuzzer(1000);
    }

    /** Section 10: a message of 64 KiB the fuzzer cuts into frames of 1,300 bytes; the echo must be whole. */
    private void autoFragmentation() {
        String payload = "rep:2a:65536";
        spec("10.1.1").message(payload, false, 1300).killAfter(10).ok(msg(payload, false)).byFuzzer(1000);
    }

    /**
     * Sections 12 and 13: permessage-deflate. 1,000 messages, each the next slice of a payload of one
     * kind, compressed by the fuzzer (in frames of a given size where the case says so), each sent once
     * the last one's echo came back whole; 12 with the default offer and five kinds of payload, 13 with
     * one kind and seven offers. A server that declines the offer is UNIMPLEMENTED.
     */
    private void compression() {
        int[][] sizes = {{16, 0}, {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {8192, 0}, {16384, 0}, {32768, 0},
            {65536, 0}, {131072, 0}, {8192, 256}, {16384, 256}, {32768, 256}, {65536, 256}, {131072, 256},
            {131072, 1024}, {131072, 4096}, {131072, 32768}};
        String defaultOffer = DEFAULT_OFFER;
        int group = 1;
        for (TestData data : TestData.values()) {
            for (int i = 0; i < sizes.length; i++) {
                compressed("12." + group + "." + (i + 1), data, sizes[i][0], sizes[i][1], defaultOffer, i >= 3);
            }
            group++;
        }
        String[] offers = {
            defaultOffer,
            defaultOffer + "; server_no_context_takeover",
            defaultOffer + "; server_max_window_bits=9",
            defaultOffer + "; server_max_window_bits=15",
            defaultOffer + "; server_no_context_takeover; server_max_window_bits=9",
            defaultOffer + "; server_no_context_takeover; server_max_window_bits=15",
            defaultOffer + "; server_no_context_takeover; server_max_window_bits=9, " + defaultOffer
                    + "; server_no_context_takeover, " + defaultOffer};
        for (int j = 0; j < offers.length; j++) {
            for (int i = 0; i < sizes.length; i++) {
                compressed("13." + (j + 1) + "." + (i + 1), TestData.JSON, sizes[i][0], sizes[i][1], offers[j], i >= 3);
            }
        }
    }

    private void compressed(String id, TestData data, int length, int fragmentSize, String offer, boolean large) {
        Spec spec = spec(id);
        spec.offer = offer;
        spec.large = large;
        boolean binary = data.binary();
        spec.steps.add(fuzzer -> {
            if (fuzzer.agreed() == null || !fuzzer.agreed().startsWith("permessage-deflate")) {
                fuzzer.unimplemented();
                fuzzer.sendClose(1000, "");
                return;
            }
            byte[] source = data.bytes();
            int at = 0;
            for (int sent = 0; sent < 1000; sent++) {
                byte[] message = new byte[length];
                for (int i = 0; i < length; i++) {
                    message[i] = source[(at + i) % source.length];
                }
                at = (at + length) % source.length;
                fuzzer.sendCompressed(message, binary, fragmentSize);
                int expected = sent + 1;
                if (!fuzzer.awaitReceived(events -> messages(events) >= expected, 10_000)) {
                    fuzzer.fail("no echo of message " + expected + " within 10 s");
                    break;
                }
                Event echo = fuzzer.seen().received().stream().filter(Event::isMessage).skip(sent).findFirst().orElseThrow();
                if (!echo.equals(Event.message(message, binary))) {
                    fuzzer.fail("the echo of message " + expected + " differs: " + echo);
                    break;
                }
            }
            fuzzer.sendClose(1000, "");
        });
        spec.described.add("1000 compressed " + (binary ? "binary" : "text") + " messages of " + size(length) + " of "
                + data.description() + (fragmentSize > 0 ? ", in frames of " + fragmentSize + " bytes" : "")
                + (id.startsWith("13.") ? "; offer " + shortOffer(offer) : ""));
        spec.echo = new AutobahnCase.Echo(1000, length, binary);
        spec.closeAfter(480).byFuzzer(1000);
    }

    private static final String DEFAULT_OFFER = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    /** An offer without the parameters every offer of the suite has: e.g. {@code (server_no_context_takeover)}. */
    private static String shortOffer(String offer) {
        List<String> parts = new ArrayList<>();
        for (String one : offer.split(",")) {
            String rest = one.trim().substring(DEFAULT_OFFER.length()).replaceFirst("^; ", "");
            parts.add("(" + (rest.isEmpty() ? "default" : rest) + ")");
        }
        return String.join(" or ", parts);
    }

    // ---- the little language the cases are written in ----

    private Spec spec(String id) {
        Spec spec = new Spec(id);
        specs.add(spec);
        return spec;
    }

    private final List<Spec> specs = new ArrayList<>();

    /**
     * How many messages came back. The echo cases (9, 10, 12, 13) judge messages only, as the suite's
     * do: a ping the server sends meanwhile is answered, not counted.
     */
    private static long messages(List<Event> events) {
        return events.stream().filter(Event::isMessage).count();
    }

    private static byte[] bytes(String payload) {
        if (payload.isEmpty()) {
            return new byte[0];
        }
        if (payload.startsWith("hex:")) {
            return HexFormat.of().parseHex(payload.substring(4));
        }
        if (payload.startsWith("rep:")) {
            String[] parts = payload.split(":");
            byte[] bytes = new byte[Integer.parseInt(parts[2])];
            Arrays.fill(bytes, (byte) Integer.parseInt(parts[1], 16));
            return bytes;
        }
        return payload.getBytes(StandardCharsets.UTF_8); // plain text
    }

    private static String text(String text) {
        return "hex:" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] repeat(String pattern, int length) {
        return repeat(bytes(pattern), length);
    }

    private static byte[] repeat(byte[] pattern, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = pattern[i % pattern.length];
        }
        return bytes;
    }

    private static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1 << 10 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    private static Event msg(String payload, boolean binary) {
        return Event.message(bytes(payload), binary);
    }

    private static Event pong(String payload) {
        return Event.pong(bytes(payload));
    }

    private static Event ping(String payload) {
        return Event.ping(bytes(payload));
    }

    private static final String[] OPCODES = {"continuation", "text", "binary", "opcode 3", "opcode 4", "opcode 5",
        "opcode 6", "opcode 7", "close", "ping", "pong", "opcode 11", "opcode 12", "opcode 13", "opcode 14", "opcode 15"};

    /** A case being written. */
    private final class Spec {

        final String id;
        final List<AutobahnCase.Script> steps = new ArrayList<>();
        final List<String> described = new ArrayList<>();
        Frame last;
        int lastStep = -1;
        AutobahnCase.Ending ending;
        final Map<Verdict, List<Event>> expected = new LinkedHashMap<>();
        AutobahnCase.Closing closing;
        AutobahnCase.Rule rule = AutobahnCase.Rule.STANDARD;
        AutobahnCase.Echo echo;
        boolean large;
        String offer;

        Spec(String id) {
            this.id = id;
        }

        Spec frame(int opcode, String payload) {
            last = Frame.of(opcode, bytes(payload));
            lastStep = steps.size();
            steps.add(null);
            described.add(null);
            return this.sync();
        }

        private Spec sync() {
            Frame frame = last;
            steps.set(lastStep, fuzzer -> fuzzer.send(frame));
            described.set(lastStep, describe(frame));
            return this;
        }

        Spec fin(boolean fin) {
            last = last.fin(fin);
            return sync();
        }

        Spec rsv(int rsv) {
            last = last.rsv(rsv);
            return sync();
        }

        Spec chop(int chop) {
            last = last.chop(chop);
            return sync();
        }

        /** The frame's payload is its pattern repeated to this many bytes. */
        Spec len(int length) {
            last = new Frame(last.opcode(), last.fin(), last.rsv(), repeat(last.payload(), length), last.chop());
            return sync();
        }

        Spec close(int code, String reason) {
            steps.add(fuzzer -> fuzzer.sendClose(code, new String(bytes(reason), StandardCharsets.UTF_8)));
            described.add("close " + code);
            return this;
        }

        /** A close frame exactly so: no code (null), and any reason bytes, valid or not. */
        Spec closeFrame(Integer code, String reason) {
            Frame frame = code == null ? Frame.close(bytes(reason)) : Frame.close(code, bytes(reason));
            steps.add(fuzzer -> fuzzer.sendCloseFrame(frame));
            described.add("close frame " + (code == null ? "without code" : "code " + code)
                    + (bytes(reason).length > 0 ? ", reason of " + bytes(reason).length + " bytes" : "")
                    + (code == null && bytes(reason).length > 0 ? " (a 1-byte payload)" : ""));
            return this;
        }

        Spec message(String payload, boolean binary, int fragmentSize) {
            byte[] data = bytes(payload);
            steps.add(fuzzer -> fuzzer.sendMessage(data, binary, fragmentSize));
            described.add((binary ? "binary" : "text") + " message of " + data.length + " bytes"
                    + (fragmentSize > 0 ? " in frames of " + fragmentSize : ""));
            return this;
        }

        /** Waits this long (the suite's continueLater), then goes on if the connection stands. */
        Spec later(double seconds) {
            steps.add(fuzzer -> fuzzer.pause(seconds));
            described.add("wait " + seconds + " s");
            return this;
        }

        Spec killAfter(double seconds) {
            ending = new AutobahnCase.Ending(true, seconds);
            return this;
        }

        Spec closeAfter(double seconds) {
            ending = new AutobahnCase.Ending(false, seconds);
            return this;
        }

        Spec ok(Event... events) {
            expected.put(Verdict.OK, List.of(events));
            return this;
        }

        Spec nonStrict(Event... events) {
            expected.put(Verdict.NON_STRICT, List.of(events));
            return this;
        }

        Spec byFuzzer(Integer... codes) {
            closing = new AutobahnCase.Closing(true, List.of(codes), true, false);
            return this;
        }

        Spec byFuzzerUnclean(Integer... codes) {
            closing = new AutobahnCase.Closing(true, List.of(codes), false, false);
            return this;
        }

        Spec byServer(Integer... codes) {
            closing = new AutobahnCase.Closing(false, List.of(codes), false, false);
            return this;
        }

        /** The server must fail the connection with 1007: a close by the fuzzer means it did not see the bad text. */
        Spec byServerUtf8() {
            closing = new AutobahnCase.Closing(false, List.of(1007), false, true);
            return this;
        }

        Spec wrongCodeFails() {
            rule = AutobahnCase.Rule.WRONG_CODE_FAILS;
            return this;
        }

        Spec informational() {
            rule = AutobahnCase.Rule.INFORMATIONAL;
            return this;
        }

        AutobahnCase build() {
            List<AutobahnCase.Script> script = List.copyOf(steps);
            return new AutobahnCase(id, Integer.parseInt(id.substring(0, id.indexOf('.'))), String.join("; ", described),
                    fuzzer -> {
                        for (AutobahnCase.Script step : script) {
                            step.run(fuzzer);
                        }
                    }, ending, Map.copyOf(expected), closing, rule, echo, large, offer);
        }
    }

    private static String describe(Frame frame) {
        StringBuilder text = new StringBuilder(OPCODES[frame.opcode()]);
        if (frame.payload().length > 0) {
            text.append(' ').append(size(frame.payload().length));
        }
        if (!frame.fin()) {
            text.append(" (not final)");
        }
        if (frame.rsv() != 0) {
            text.append(String.format(Locale.ROOT, " RSV=%d", frame.rsv()));
        }
        if (frame.chop() > 0) {
            text.append(" in pieces of ").append(frame.chop());
        }
        return text.toString();
    }
}
