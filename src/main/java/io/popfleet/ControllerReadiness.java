package io.popfleet;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;

/**
 * The controller is ready once its port is bound: only then does it say so, and only then do its scheduled jobs
 * start (the scheduler starts halted, see application.properties). Both came earlier once: a controller that then
 * failed to bind its port had said it was ready, and its jobs had run against the shared database and met their
 * connection pool closing under them as it shut down. Also warns when the controller is reachable beyond this
 * machine.
 */
public class ControllerReadiness {

    private static final Logger LOG = Logger.getLogger(ControllerReadiness.class);

    void onHttp(@ObservesAsync HttpServerStart started, ControllerConfig config, Scheduler scheduler,
            @ConfigProperty(name = "popfleet.http.tls.mode", defaultValue = "off") String tls) {
        if (tls.equalsIgnoreCase("off")) {
            ready("http", started.options().getHost(), started.options().getPort(), config, scheduler);
        }
    }

    void onHttps(@ObservesAsync HttpsServerStart started, ControllerConfig config, Scheduler scheduler) {
        ready("https", started.options().getHost(), started.options().getPort(), config, scheduler);
    }

    private static void ready(String scheme, String host, int port, ControllerConfig config, Scheduler scheduler) {
        scheduler.resume();
        String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        LOG.infof("PoP Fleet is ready: %s://%s:%d/fleet (data in %s)", scheme, shown, port,
                config.dataDir().orElse("an external database"));
    }

    /** No job starts once the controller is stopping: it would meet the connection pool closing under it. */
    void onStop(@Observes ShutdownEvent event, Scheduler scheduler) {
        scheduler.pause();
    }

    void onStart(@Observes StartupEvent event, ControllerConfig config,
            @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.http.port") int port,
            @ConfigProperty(name = "popfleet.http.tls.mode", defaultValue = "off") String tls) {
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        if (!loopback && !config.allowRemote()) {
            LOG.warnf("The controller listens on %s, beyond this machine: logins and tokens on port %d then cross the"
                    + " network. Serve it over HTTPS (docs/security.md), or set popfleet.allow-remote=true once you"
                    + " have.", host, port);
        }
        if (!loopback && tls.equalsIgnoreCase("off")) {
            LOG.warnf("The controller listens on %s without HTTPS: logins, tokens and sessions would cross the"
                    + " network in clear. Set popfleet.http.tls.mode=self-signed (or file, with cert-file and"
                    + " key-file), or terminate TLS in a proxy in front of it; see docs/security.md.", host);
        }
    }
}
