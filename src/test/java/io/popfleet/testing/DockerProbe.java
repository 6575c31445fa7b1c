package io.popfleet.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;

/** Whether a Docker engine answers; asks Testcontainers only when a socket or DOCKER_HOST suggests one. */
final class DockerProbe {

    private DockerProbe() {
    }

    static boolean dockerAvailable() {
        if (Boolean.getBoolean("popfleet.test.no-docker")) {
            return false;
        }
        boolean hinted = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
        if (!hinted) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
