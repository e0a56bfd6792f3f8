package io.github.wschat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * CPU time of parts of this machine, read from Linux' /proc: the threads of a process by name (their
 * scheduler's nanoseconds on a CPU), and a process with its children (PostgreSQL's postmaster and its
 * backends, in clock ticks). Zero where /proc has nothing. Stateless.
 */
final class CpuTime {

    private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

    private CpuTime() {
    }

    /** Nanoseconds on a CPU of the threads of {@code pid} whose names start with {@code prefix}. */
    static long threads(long pid, String prefix) {
        return byThread(pid, name -> name.startsWith(prefix) ? prefix : "").getOrDefault(prefix, 0L);
    }

    /**
     * Nanoseconds on a CPU of the threads of {@code pid} by what they do, from their names: the chat's
     * own ({@code wschat-…}: the transport's event loops and acceptor, timers) but for the store's
     * writer, the store's writer, the JIT's compiler threads, the garbage collector's and the VM's, and
     * the rest. Threads that ended are not counted.
     */
    static Map<String, Long> threadGroups(long pid) {
        return byThread(pid, CpuTime::groupOf);
    }

    /** Nanoseconds on a CPU of the threads of {@code pid}, summed by {@code group} of their names; empty if gone. */
    private static Map<String, Long> byThread(long pid, Function<String, String> group) {
        Map<String, Long> groups = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).strip().split(" ")[0]);
                    groups.merge(group.apply(name), nanos, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return groups;
    }

    private static String groupOf(String thread) {
        if (thread.startsWith("wschat-history")) {
            return "store writer";
        }
        if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
            return "JIT";
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.startsWith("VM Thread")) {
            return "GC and VM";
        }
        if (thread.startsWith("wschat-")) {
            return "chat threads";
        }
        return "other";
    }

    /**
     * Nanoseconds on a CPU of a process and its children: its own time, its waited-for children's, and
     * its live children's.
     */
    static long processTree(long pid) {
        long ticks = 0;
        String[] own = stat(pid);
        if (own == null) {
            return 0;
        }
        ticks += Long.parseLong(own[13]) + Long.parseLong(own[14]) + Long.parseLong(own[15]) + Long.parseLong(own[16]);
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] child = stat(Long.parseLong(name));
                if (child != null && Long.parseLong(child[3]) == pid) {
                    ticks += Long.parseLong(child[13]) + Long.parseLong(child[14]);
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return (long) (ticks * NANOS_PER_TICK);
    }

    /** The fields of /proc/PID/stat, the command's name (which may hold spaces) taken out; null if gone. */
    private static String[] stat(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String after = line.substring(line.lastIndexOf(')') + 2);
            String[] rest = after.split(" ");
            String[] fields = new String[rest.length + 2];
            fields[0] = Long.toString(pid);
            fields[1] = "(…)";
            System.arraycopy(rest, 0, fields, 2, rest.length);
            return fields;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
