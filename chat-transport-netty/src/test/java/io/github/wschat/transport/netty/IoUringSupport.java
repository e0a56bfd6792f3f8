package io.github.wschat.transport.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;

/**
 * For the tests on io_uring: skipped, with the reason, where the kernel or the platform does not
 * allow it; failed under CI ({@code CI=true}), whose machine does (Linux 6.x, io_uring enabled).
 */
final class IoUringSupport {

    private IoUringSupport() {
    }

    static void require() {
        if (IoUring.isAvailable()) {
            return;
        }
        String why = "io_uring is not available here (" + IoUring.unavailabilityCause() + "): it needs Linux 5.14 or "
                + "later with io_uring enabled (sysctl kernel.io_uring_disabled=0) and linux-x86_64 or aarch64";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("under CI every test runs: " + why);
        }
        assumeTrue(false, why);
    }
}
