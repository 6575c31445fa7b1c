package io.popfleet;

import java.net.BindException;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.QuarkusBindException;

import static org.assertj.core.api.Assertions.assertThat;

/** Why the controller could not start, as the operator reads it (Quarkus says nothing once we handle the exit). */
class StartFailureTest {

    @Test
    void aTakenPortIsOneLineNamingTheSettingToChange() {
        Exception failure = new RuntimeException("Failed to start",
                new QuarkusBindException("127.0.0.1", 8080, new BindException("Address already in use")));

        String message = PopFleetMain.startFailure(failure);

        assertThat(message).contains("port 8080 on 127.0.0.1 is taken", "quarkus.http.port", "QUARKUS_HTTP_PORT")
                .doesNotContain("\n");
    }

    @Test
    void anyOtherFailureSaysItsRootCause() {
        String message = PopFleetMain.startFailure(new IllegalStateException("outer",
                new IllegalArgumentException("popfleet.master-key is not 32 bytes")));

        assertThat(message).isEqualTo("could not start: popfleet.master-key is not 32 bytes");
    }
}
