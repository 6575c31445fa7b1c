package io.popfleet.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** What the benchmarks that start the packaged controller in its own JVM share: its port and its readiness. */
final class BenchController {

    private BenchController() {
    }

    /** A loopback port free now, for the controller about to start. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until the controller at {@code base} answers ready; an IOException means it is still starting. */
    static void awaitReady(HttpClient http, String base, Duration limit) {
        await("the controller to become ready").atMost(limit).pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }
}
