package io.popfleet.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.popfleet.alerts.AlertView;
import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetView;

import static org.assertj.core.api.Assertions.assertThat;

/** How values read on the console pages, without a server: each a rule the pages rely on. */
class ConsoleDisplayTest {

    private static TargetView ok(Map<String, Object> data) {
        return new TargetView(1, 1, 1L, "web-a", "ok", 1, null, null, 10L, 0, null, null, null, data, null, null,
                false);
    }

    private static TargetView failed(String kind, String message) {
        return new TargetView(1, 1, 1L, "web-a", "failed", 1, null, null, 10L, 1, kind, message, false, null, null,
                null, false);
    }

    private static RunView finished(long ok, long failed) {
        return new RunView(7, "health", List.of(), false, "all enabled", "alice", null, "finished",
                (int) (ok + failed), Map.of("ok", ok, "failed", failed), Instant.now(), Instant.now());
    }

    @Test
    void aVersionRunSummarisesTheBinaryVersionNotItsPath() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tool_version", "0.1.0");
        data.put("binary", "/opt/pop/pop");
        data.put("binary_state", "ok");
        data.put("binary_version", "0.2.8");

        assertThat(RunDisplay.dataSummary(ok(data))).isEqualTo("version 0.2.8").doesNotContain("/opt/pop");
        // status nests the binary: its version still reads the same.
        assertThat(RunDisplay.dataSummary(ok(Map.of("binary", Map.of("path", "/opt/pop/pop", "version", "0.2.9")))))
                .isEqualTo("version 0.2.9");
    }

    @Test
    void aNodeToolErrorReadsAsItsMessageWithTheCodesOnHover() {
        TargetView target = failed("nonzero_exit", "service_failed: the service did not come up within 30 s");

        assertThat(RunDisplay.reason(target)).isEqualTo("the service did not come up within 30 s");
        assertThat(RunDisplay.failureCodes(target)).isEqualTo("nonzero_exit · service_failed");
        TargetView unreachable = failed("unreachable", "connect to 127.0.0.1:1: Connection refused");
        assertThat(RunDisplay.reason(unreachable)).isEqualTo("unreachable: connect to 127.0.0.1:1: Connection refused");
        assertThat(RunDisplay.reason(failed("auth_failed", null))).isEqualTo("SSH login failed");
        assertThat(RunDisplay.failureCodes(failed("auth_failed", null))).isEqualTo("auth_failed");
    }

    @Test
    void aFinishedRunWithFailuresIsNotGreen() {
        assertThat(RunDisplay.outcome(finished(0, 3))).isEqualTo("finished, 3 failed");
        assertThat(RunDisplay.outcomeClass(finished(0, 3))).isEqualTo("run-failed");
        assertThat(RunDisplay.outcomeClass(finished(2, 1))).isEqualTo("run-partial");
        assertThat(RunDisplay.outcome(finished(3, 0))).isEqualTo("finished");
        assertThat(RunDisplay.outcomeClass(finished(3, 0))).isEqualTo("run-finished");
    }

    @Test
    void countsCarryThousandsSeparators() {
        assertThat(Formats.count(66090L)).isEqualTo("66,090");
        assertThat(Formats.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(Formats.count(999L)).isEqualTo("999");
        assertThat(Formats.count(null)).isEqualTo("—");
    }

    @Test
    void auditDetailsReadAsKeyValuePairsNotJavaMaps() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("run", 12);
        details.put("plan", Map.of("added", List.of("web-a", "web-b")));
        details.put("empty", List.of());

        List<Formats.Detail> shown = Formats.details(details);

        assertThat(shown).containsExactly(new Formats.Detail("run", "12"),
                new Formats.Detail("plan.added", "web-a, web-b"),
                new Formats.Detail("empty", "none"));
        assertThat(shown).extracting(Formats.Detail::value).noneMatch(v -> v.contains("=") || v.contains("["));
    }

    @Test
    void alertsAreGroupedByKindMostUrgentFirst() {
        List<AlertView> open = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            open.add(alert(i, "backup_stale"));
        }
        for (int i = 25; i < 29; i++) {
            open.add(alert(i, "node_down"));
        }
        open.add(alert(30, "version_behind"));
        open.add(alert(31, "rollout_stopped"));
        open.add(alert(32, "backup_corrupt"));

        List<FleetPage.AlertGroup> groups = FleetPage.grouped(open);

        assertThat(groups).extracting(FleetPage.AlertGroup::rule)
                .containsExactly("node_down", "backup_corrupt", "rollout_stopped", "version_behind", "backup_stale");
        assertThat(groups.get(0).shown()).hasSize(4);
        assertThat(groups.get(4).shown()).hasSize(FleetPage.ALERTS_PER_KIND);
        assertThat(groups.get(4).more()).isEqualTo(25 - FleetPage.ALERTS_PER_KIND);
    }

    private static AlertView alert(long id, String rule) {
        return new AlertView(id, id, "node-" + id, rule, rule + " on node-" + id, Instant.now(), null);
    }

    @Test
    void aMultipleChoiceListShowsWholeRows() {
        assertThat(DisplayExtensions.rows(List.of("a", "b", "c", "d", "e"))).isEqualTo(5);
        assertThat(DisplayExtensions.rows(List.of("a"))).isEqualTo(2);
        assertThat(DisplayExtensions.rows(java.util.Collections.nCopies(30, "g"))).isEqualTo(8);
    }
}
