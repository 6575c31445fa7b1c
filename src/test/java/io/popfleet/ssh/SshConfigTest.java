package io.popfleet.ssh;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class SshConfigTest {

    @Inject
    SshConfig config;

    @Test
    void configurationDefaultsAreTheEngineDefaults() {
        assertThat(config.toSettings()).isEqualTo(SshSettings.defaults());
    }

    @Test
    void everyDefaultKeyExchangeIsSupportedByMina() {
        assertThat(SshClients.keyExchanges(SshSettings.DEFAULT_KEX_ORDER)).hasSize(SshSettings.DEFAULT_KEX_ORDER.size());
    }
}
