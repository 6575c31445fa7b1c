package io.popfleet.runs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "127.1.2.3", "::1"})
    void loopbackLiteralsAreAllowed(String host) {
        assertThat(LoopbackAddresses.isLoopbackLiteral(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "10.0.0.1", "192.168.1.1", "203.0.113.10", "128.0.0.1", "127.0.0.256",
            "127.0.0", "1127.0.0.1", "127.0.0.1.example.net", "pop-fra-01.example.net", "2001:db8::21", ""})
    void everythingElseIsNotEvenLookedUp(String host) {
        assertThat(LoopbackAddresses.isLoopbackLiteral(host)).isFalse();
    }
}
