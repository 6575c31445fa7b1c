package io.popfleet.bench;

import java.time.Duration;
import java.util.Map;

/** One fan-out's figures. Latencies are per node, from the start of the fan-out to that node's result. */
record PhaseReport(String phase, int nodes, Duration wall, int ok, int failed, Map<String, Integer> failures,
        long p50Millis, long p99Millis, int peakThreads, long peakHeapMiB, Duration controllerCpu) {

    static String header() {
        return "| phase | nodes | wall | ok | failed | p50 | p99 | peak threads | peak heap | controller CPU |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    String row() {
        return String.format("| %s | %d | %.2f s | %d | %d%s | %d ms | %d ms | %d | %d MiB | %.2f s |", phase, nodes,
                wall.toMillis() / 1000.0, ok, failed, failures.isEmpty() ? "" : " " + failures, p50Millis, p99Millis,
                peakThreads, peakHeapMiB, controllerCpu.toMillis() / 1000.0);
    }
}
