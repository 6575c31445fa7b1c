package io.popfleet.rollout;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.popfleet.api.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceWindowTest {

    @Test
    void aWindowPastMidnightAndOneInAZoneContainTheirHoursOnly() {
        MaintenanceWindow night = MaintenanceWindow.parse("22:00-4:00");
        assertThat(night.contains(Instant.parse("2026-12-01T23:30:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-12-01T03:59:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-12-01T04:00:00Z"))).isFalse();
        assertThat(night.contains(Instant.parse("2026-12-01T12:00:00Z"))).isFalse();
        assertThat(night.toString()).isEqualTo("22:00-04:00");
        MaintenanceWindow berlin = MaintenanceWindow.parse("09:00-10:00 Europe/Berlin");
        assertThat(berlin.contains(Instant.parse("2026-12-01T08:30:00Z"))).isTrue();
        assertThat(berlin.contains(Instant.parse("2026-12-01T09:30:00Z"))).isFalse();
        assertThat(MaintenanceWindow.parse(" ")).isNull();
    }

    @Test
    void aWindowThatCannotBeReadIsRefusedWithWhy() {
        assertThatThrownBy(() -> MaintenanceWindow.parse("nightly")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("HH:MM-HH:MM");
        assertThatThrownBy(() -> MaintenanceWindow.parse("25:00-26:00")).hasMessageContaining("00:00 to 23:59");
        assertThatThrownBy(() -> MaintenanceWindow.parse("01:00-02:00 Mars/Olympus")).hasMessageContaining("Mars");
        assertThatThrownBy(() -> MaintenanceWindow.parse("01:00-01:00")).hasMessageContaining("same");
    }
}
