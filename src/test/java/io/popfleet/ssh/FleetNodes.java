package io.popfleet.ssh;

import java.util.ArrayList;
import java.util.List;

import io.popfleet.testing.SshTestFleet;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.persistence.EntityManager;

/** Rows in the node table for fleet nodes, so pins and sightings have their foreign keys; removed afterwards. */
final class FleetNodes {

    private final EntityManager em;
    private final List<Long> created = new ArrayList<>();

    FleetNodes(EntityManager em) {
        this.em = em;
    }

    SshTarget register(SshTestFleet fleet, int index, String name) {
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long nodeId = ((Number) em.createNativeQuery("select nextval('node_seq')").getSingleResult()).longValue();
            em.createNativeQuery("insert into node (id, name, host, ssh_port, ssh_user, credential_ref)"
                    + " values (?1, ?2, ?3, ?4, 'pop', ?5)").setParameter(1, nodeId).setParameter(2, name)
                    .setParameter(3, fleet.node(index).host()).setParameter(4, fleet.node(index).port())
                    .setParameter(5, SshTestFleet.CREDENTIAL).executeUpdate();
            return nodeId;
        });
        created.add(id);
        return fleet.target(index, id, name);
    }

    void removeAll() {
        QuarkusTransaction.requiringNew().run(() -> created.forEach(id -> em
                .createNativeQuery("delete from node where id = ?1").setParameter(1, id).executeUpdate()));
        created.clear();
    }
}
