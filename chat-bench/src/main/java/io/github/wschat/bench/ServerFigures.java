package io.github.wschat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a server process (by PID, on Linux) has used: CPU time from /proc/PID/stat, resident memory
 * from /proc/PID/status, and, for a JVM, live heap after a full collection from {@code jcmd}.
 */
final class ServerFigures {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern DATA_SEGS_OUT = Pattern.compile("\\bdata_segs_out:(\\d+)");
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ServerFigures() {
    }

    /** CPU time (user + system) the process has used, in microseconds; -1 if it cannot be read. */
    static long cpuMicros(long pid) {
        long[] split = cpuSplitMicros(pid);
        return split[0] < 0 ? -1 : split[0] + split[1];
    }

    /**
     * CPU time the process has used in user space and in the kernel (utime and stime of
     * /proc/PID/stat), in microseconds; {-1, -1} if it cannot be read.
     */
    static long[] cpuSplitMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may hold spaces) start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Math.round(Long.parseLong(fields[11]) / TICKS_PER_SECOND * 1e6),
                Math.round(Long.parseLong(fields[12]) / TICKS_PER_SECOND * 1e6)};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /**
     * The TCP segments with data that the established connections from local port {@code port} have
     * sent ({@code data_segs_out} in {@code ss -ti}): with Nagle off, one or more per write that
     * reaches the kernel, so the count of writes whichever system call an implementation makes
     * (Java-WebSocket's NIO {@code write}, Netty's {@code send} and {@code writev}); -1 if {@code ss}
     * cannot tell.
     */
    static long dataSegmentsOut(int port) {
        try {
            String out = run("ss", "-tinH", "state", "established", "( sport = :" + port + " )");
            long sum = 0;
            Matcher m = DATA_SEGS_OUT.matcher(out);
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** CPU time this JVM has used, in microseconds. */
    static long ownCpuMicros() {
        return cpuMicros(ProcessHandle.current().pid());
    }

    /** Live heap of a JVM after a full collection, in bytes; -1 if jcmd cannot tell. */
    static long liveHeapBytes(long pid) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            run(jcmd, Long.toString(pid), "GC.run");
            String info = run(jcmd, Long.toString(pid), "GC.heap_info");
            Matcher used = HEAP_USED.matcher(info);
            return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return output;
    }
}
