package io.popfleet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.SshTarget;

/** Runs one operation on every target at once and measures it: wall time, per-node latency, threads, heap. */
final class FanOut {

    private FanOut() {
    }

    static PhaseReport run(String phase, List<SshTarget> targets,
            Function<SshTarget, CompletableFuture<ExecResult>> operation) throws Exception {
        System.gc();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        threads.resetPeakThreadCount();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        long[] latencies = new long[targets.size()];
        ExecResult[] results = new ExecResult[targets.size()];
        CompletableFuture<?>[] all = new CompletableFuture<?>[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            int index = i;
            all[i] = operation.apply(targets.get(i)).whenComplete((result, error) -> {
                latencies[index] = System.nanoTime() - start;
                results[index] = result;
            });
        }
        CompletableFuture.allOf(all).get(10, TimeUnit.MINUTES);
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        Duration cpu = Duration.ofNanos(os.getProcessCpuTime() - cpuBefore);

        int ok = 0;
        Map<String, Integer> failures = new TreeMap<>();
        for (ExecResult result : results) {
            if (result != null && result.ok()) {
                ok++;
            } else {
                failures.merge(result == null ? "exception" : result.failure().code(), 1, Integer::sum);
            }
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long peakHeap = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return new PhaseReport(phase, targets.size(), wall, ok, targets.size() - ok, failures,
                percentile(sorted, 50), percentile(sorted, 99), threads.getPeakThreadCount(), peakHeap >> 20, cpu);
    }

    private static long percentile(long[] sortedNanos, int percent) {
        if (sortedNanos.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sortedNanos.length) - 1;
        return TimeUnit.NANOSECONDS.toMillis(sortedNanos[Math.max(0, index)]);
    }
}
