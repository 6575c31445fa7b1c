package io.popfleet.ssh;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** One plain OpenSSH known_hosts line: {@code host1,[host2]:2222 ssh-ed25519 AAAA... [comment]}. */
record KnownHostsLine(List<Endpoint> endpoints, PublicKey key) {

    record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return port == 22 ? host : "[" + host + "]:" + port;
        }
    }

    /** Hashed hosts and markers (@cert-authority, @revoked) cannot be matched to nodes and are reported. */
    static List<KnownHostsLine> parseAll(String text, List<String> unsupported) {
        List<KnownHostsLine> lines = new ArrayList<>();
        int number = 0;
        for (String raw : text == null ? new String[0] : text.split("\\R")) {
            number++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (line.startsWith("@") || line.startsWith("|") || fields.length < 3) {
                unsupported.add("line " + number + ": hashed, marked or malformed entry");
                continue;
            }
            try {
                PublicKey key = HostKeys.parse(fields[1] + " " + fields[2]);
                List<Endpoint> endpoints = new ArrayList<>();
                for (String host : fields[0].split(",")) {
                    endpoints.add(endpoint(host));
                }
                lines.add(new KnownHostsLine(endpoints, key));
            } catch (IllegalArgumentException e) {
                unsupported.add("line " + number + ": " + e.getMessage());
            }
        }
        return lines;
    }

    private static Endpoint endpoint(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("bad host " + host);
            }
            return new Endpoint(host.substring(1, close), Integer.parseInt(host.substring(close + 2)));
        }
        return new Endpoint(host, 22);
    }
}
