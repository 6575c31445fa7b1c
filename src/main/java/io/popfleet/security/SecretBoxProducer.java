package io.popfleet.security;

import java.nio.file.Path;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The application's one {@link SecretBox}, keyed by {@link MasterKey}. */
public class SecretBoxProducer {

    @Produces
    @Singleton
    SecretBox secretBox(@ConfigProperty(name = "popfleet.data-dir", defaultValue = "${user.home}/.popfleet")
            String dataDir) {
        return new SecretBox(MasterKey.load(System.getenv(), Path.of(dataDir)));
    }
}
