package io.popfleet.ssh;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** The application's one {@link SshEngine}: started with the application, closed on shutdown. */
@ApplicationScoped
public class SshEngineProducer {

    private static final Logger LOG = Logger.getLogger(SshEngineProducer.class);

    // Read by name: the engine must outlive the metrics poller's gap, without the ssh package depending on metrics.
    @ConfigProperty(name = "popfleet.metrics.poll-interval", defaultValue = "5m")
    Duration pollInterval;

    @ConfigProperty(name = "popfleet.metrics.jitter", defaultValue = "0.1")
    double jitter;

    @Produces
    @Singleton
    SshEngine engine(SshConfig config, HostKeyService hostKeys, CredentialService credentials) {
        SshSettings settings = config.toSettings().withSessionIdleTimeout(config.sessionIdleTimeout()
                .orElseGet(() -> SshSettings.idleTimeoutFor(pollInterval, jitter)));
        LOG.infof("SSH engine: host keys %s, kex %s, %d I/O threads, %d concurrent connects, sessions kept %s idle",
                settings.hostKeyPolicy(), settings.kexOrder().get(0), settings.ioThreads(),
                settings.maxConcurrentConnects(), settings.sessionIdleTimeout());
        return SshEngine.start(settings, hostKeys, credentials);
    }

    void close(@Disposes SshEngine engine) {
        engine.close();
    }

    void startWithTheApplication(@Observes StartupEvent event, SshEngine engine) {
        // injecting it is enough: a bad KEX list or policy fails the start, not the first fan-out
    }
}
