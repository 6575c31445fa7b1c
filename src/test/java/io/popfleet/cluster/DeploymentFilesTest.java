package io.popfleet.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped multi-controller examples say what docs/operations.md promises: the compose profile runs two
 * controllers on one database and one master key behind a proxy that reaches both; the Kubernetes Deployment runs
 * two replicas that are ready on {@code /q/health/ready} and take the key and the database from Secrets.
 */
class DeploymentFilesTest {

    @Test
    void composeClusterProfileHasTwoControllersOnOneDatabaseAndKeyBehindTheProxy() throws IOException {
        Map<String, Object> services = map(yaml(Path.of("docker-compose.yml")), "services");
        Map<String, Object> first = map(services, "controller");
        Map<String, Object> second = map(services, "controller-2");
        Map<String, Object> proxy = map(services, "proxy");

        assertThat(first).doesNotContainKey("profiles");
        assertThat(second.get("profiles")).isEqualTo(List.of("cluster"));
        assertThat(proxy.get("profiles")).isEqualTo(List.of("cluster"));
        assertThat(map(second, "environment")).isEqualTo(map(first, "environment"));
        assertThat(map(first, "environment").get("QUARKUS_DATASOURCE_JDBC_URL"))
                .isEqualTo("jdbc:postgresql://postgres:5432/popfleet");
        // one master.key for both: the volume that holds it
        assertThat(second.get("volumes")).isEqualTo(first.get("volumes"))
                .isEqualTo(List.of("controller-data:/var/lib/popfleet"));

        String published = ((List<?>) proxy.get("ports")).get(0).toString();
        assertThat(published).startsWith("127.0.0.1:");
        String proxyPort = published.split(":")[1];
        assertThat(map(first, "environment").get("POPFLEET_HTTP_ALLOWED_HOSTS").toString().split(","))
                .contains("127.0.0.1:" + proxyPort, "localhost:" + proxyPort);
        String mounted = ((List<?>) proxy.get("volumes")).get(0).toString();
        String nginx = Files.readString(Path.of(mounted.substring(0, mounted.indexOf(':'))));
        assertThat(nginx).contains("server controller:8080", "server controller-2:8080", "listen " + proxyPort,
                "proxy_set_header Host $http_host", "proxy_buffering off");
    }

    @Test
    void kubernetesDeploymentRunsTwoReadyReplicasWithTheKeyAndDatabaseFromSecrets() throws IOException {
        List<Map<String, Object>> documents = yamlAll(Path.of("controller/k8s/deployment.yaml"));
        Map<String, Object> deployment = kind(documents, "Deployment");
        Map<String, Object> service = kind(documents, "Service");
        Map<String, Object> spec = map(deployment, "spec");
        assertThat(spec.get("replicas")).isEqualTo(2);
        Map<String, Object> pod = map(map(spec, "template"), "spec");
        Map<String, Object> container = listOfMaps(pod.get("containers")).get(0);

        Map<String, Object> readiness = map(container, "readinessProbe");
        assertThat(map(readiness, "httpGet").get("path")).isEqualTo("/q/health/ready");
        List<String> secrets = listOfMaps(container.get("envFrom")).stream()
                .map(source -> map(source, "secretRef").get("name").toString()).toList();
        assertThat(secrets).containsExactlyInAnyOrder("popfleet-master-key", "popfleet-database");

        // the probe's Host must be one the controller answers to, or every probe gets 421
        String probeHost = listOfMaps(map(readiness, "httpGet").get("httpHeaders")).stream()
                .filter(header -> header.get("name").equals("Host")).findFirst().orElseThrow().get("value")
                .toString();
        String allowed = listOfMaps(container.get("env")).stream()
                .filter(env -> env.get("name").equals("POPFLEET_HTTP_ALLOWED_HOSTS")).findFirst().orElseThrow()
                .get("value").toString();
        assertThat(allowed.split(",")).contains(probeHost.substring(0, probeHost.indexOf(':')));

        assertThat(map(map(service, "spec"), "selector"))
                .isEqualTo(map(map(map(spec, "template"), "metadata"), "labels"));

        List<Map<String, Object>> secretDocs = yamlAll(Path.of("controller/k8s/secret.example.yaml"));
        List<String> keys = new ArrayList<>();
        for (Map<String, Object> secret : secretDocs) {
            assertThat(secret.get("kind")).isEqualTo("Secret");
            keys.addAll(map(secret, "stringData").keySet());
        }
        assertThat(keys).contains("POPFLEET_MASTER_KEY", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_PASSWORD");
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    private static List<Map<String, Object>> yamlAll(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
            documents.add(asMap(document));
        }
        return documents;
    }

    private static Map<String, Object> kind(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind));
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return asMap(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<Map<String, Object>> listOfMaps(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(DeploymentFilesTest::asMap).toList();
    }
}
