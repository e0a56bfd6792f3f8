package io.github.wschat.bench;

import java.io.File;
import java.lang.management.ManagementFactory;

/**
 * What this JVM holds at one moment, measured after a full collection: live heap, threads and open
 * file descriptors (sockets included).
 *
 * @param heapBytes heap in use after {@link System#gc()}
 * @param threads live threads
 * @param fileDescriptors open file descriptors, or -1 where /proc is not there
 */
record ProcessFigures(long heapBytes, int threads, int fileDescriptors) {

    static ProcessFigures measure() {
        // Two collections: the first may only queue finalizable and reference-processed objects.
        System.gc();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        String[] fds = new File("/proc/self/fd").list();
        return new ProcessFigures(heap, threads, fds == null ? -1 : fds.length);
    }

    String heapMiB() {
        return String.format("%.1f MiB", heapBytes / (1024.0 * 1024.0));
    }
}
