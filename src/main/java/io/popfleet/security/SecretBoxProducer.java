package io.popfleet.security;

import java.nio.file.Path;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The application's one {@link SecretBox}, keyed by {@link MasterKey}. */
public class SecretBoxProducer {

    @Produces
    @Singleton
    SecretBox secretBox(@ConfigProperty(name = "popfleet.data-dir", defaultValue = "${user.home}/.popfleet")
            String dataDir) {
        return new SecretBox(MasterKey.load(System.getenv(), Path.of(dataDir)));
    }
}
