package io.popfleet.security;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Creates the first admin when there are no users: with {@code POPFLEET_ADMIN_PASSWORD} when set, else with a
 * random password written to the log this once. Only its bcrypt hash is kept, so it can never be shown again;
 * an admin who loses it resets it from another admin account, or starts over with an empty user table.
 */
public class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    @Inject
    UserService users;

    @Inject
    SecurityConfig config;

    @Inject
    EntityManager em;

    @Transactional
    void onStart(@Observes StartupEvent event) {
        // Controllers started together on an empty database would each find no user and create the admin twice
        // (the second start failing on the unique name): the first to take this lock creates it, the rest see it.
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext('popfleet.first-admin'))) l")
                .getSingleResult();
        if (users.count() > 0) {
            return;
        }
        String from = config.adminPassword().filter(p -> !p.isEmpty()).orElse(null);
        UserService.WithPassword created = users.create(config.adminUser(), from, Roles.ADMIN, Caller.SYSTEM);
        if (created.password() == null) {
            LOG.infof("Created the first admin '%s' with the password from POPFLEET_ADMIN_PASSWORD.",
                    created.user().username());
        } else {
            // The one time this password exists outside the operator's head: it is not stored, only its hash.
            LOG.warnf("%n  First start: log in as '%s' with the one-time password  %s%n  It is shown only now;"
                    + " change it under Users, or set POPFLEET_ADMIN_PASSWORD before the first start.",
                    created.user().username(), created.password());
        }
    }
}
