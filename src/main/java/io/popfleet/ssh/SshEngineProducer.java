package io.popfleet.ssh;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/** The application's one {@link SshEngine}: started with the application, closed on shutdown. */
@ApplicationScoped
public class SshEngineProducer {

    private static final Logger LOG = Logger.getLogger(SshEngineProducer.class);

    @Produces
    @Singleton
    SshEngine engine(SshConfig config, HostKeyService hostKeys, CredentialService credentials) {
        SshSettings settings = config.toSettings();
        LOG.infof("SSH engine: host keys %s, kex %s, %d I/O threads, %d concurrent connects",
                settings.hostKeyPolicy(), settings.kexOrder().get(0), settings.ioThreads(),
                settings.maxConcurrentConnects());
        return SshEngine.start(settings, hostKeys, credentials);
    }

    void close(@Disposes SshEngine engine) {
        engine.close();
    }

    void startWithTheApplication(@Observes StartupEvent event, SshEngine engine) {
        // injecting it is enough: a bad KEX list or policy fails the start, not the first fan-out
    }
}
