package io.popfleet.security;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Turns {@code popfleet.http.tls.*} into Quarkus' TLS settings before the HTTP server starts: the configured
 * certificate files, or the self-signed pair (created on first start in {@code <data-dir>/tls}). With TLS on,
 * plain HTTP only redirects to HTTPS, so session and CSRF cookies never travel in clear.
 */
public class TlsConfigSourceFactory implements ConfigSourceFactory {

    /** Below environment variables and system properties, above application.properties. */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String mode = value(context, "popfleet.http.tls.mode", "off").toLowerCase(Locale.ROOT).replace('_', '-');
        Path cert;
        Path key;
        switch (mode) {
            case "file" -> {
                cert = Path.of(required(context, "popfleet.http.tls.cert-file"));
                key = Path.of(required(context, "popfleet.http.tls.key-file"));
            }
            case "self-signed" -> {
                String dir = value(context, "popfleet.http.tls.self-signed-dir", null);
                if (dir == null) {
                    dir = value(context, "popfleet.data-dir", System.getProperty("user.home") + "/.popfleet")
                            + "/tls";
                }
                String extra = value(context, "popfleet.http.tls.self-signed-names", "");
                List<String> names = extra.isBlank() ? List.of() : Arrays.asList(extra.split(","));
                Path[] pair = SelfSignedCertificate.ensure(Path.of(dir), names);
                cert = pair[0];
                key = pair[1];
            }
            default -> {
                return Collections.emptyList();
            }
        }
        Map<String, String> tls = new HashMap<>();
        tls.put("quarkus.tls.key-store.pem.controller.cert", cert.toAbsolutePath().toString());
        tls.put("quarkus.tls.key-store.pem.controller.key", key.toAbsolutePath().toString());
        tls.put("quarkus.http.insecure-requests", "redirect");
        return List.of(new PropertiesConfigSource(tls, "popfleet.http.tls", ORDINAL));
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank() ? fallback : value.getValue();
    }

    private static String required(ConfigSourceContext context, String name) {
        String value = value(context, name, null);
        if (value == null) {
            throw new IllegalStateException(name + " must be set when popfleet.http.tls.mode=file");
        }
        return value;
    }
}
