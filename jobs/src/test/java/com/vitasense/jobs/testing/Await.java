package com.vitasense.jobs.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Polls a condition until it holds or a deadline passes; tests never sleep a fixed time. */
public final class Await {
    private Await() {}

    /**
     * Returns the first value of {@code probe} that satisfies {@code done}, polling every 100 ms;
     * fails with the last value seen when {@code timeout} passes.
     */
    public static <T> T until(String what, Callable<T> probe, Predicate<T> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = probe.call();
            if (done.test(last)) return last;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last value: " + last);
            }
            // Polling interval, not a timing assumption: the deadline above bounds the wait.
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
