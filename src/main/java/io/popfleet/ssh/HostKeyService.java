package io.popfleet.ssh;

import java.security.PublicKey;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Paging;
import io.popfleet.api.ProblemException;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/**
 * Pinned host keys in PostgreSQL: the engine's {@link HostKeyStore} and the operator's actions on pins. Every pin,
 * refusal, approval and re-pin is audited; a pin only ever changes through {@link #approve} or {@link #repin}.
 */
@ApplicationScoped
public class HostKeyService implements HostKeyStore {

    static final String SYSTEM = "system";

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Override
    @Transactional
    public Optional<PublicKey> pinned(SshTarget target) {
        List<?> rows = em.createNativeQuery("select public_key from host_key_pin where node_id = ?1")
                .setParameter(1, target.nodeId()).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(HostKeys.parse((String) rows.get(0)));
    }

    @Override
    @Transactional
    public PublicKey pinOnFirstUse(SshTarget target, PublicKey offered) {
        int inserted = em.createNativeQuery("insert into host_key_pin (node_id, public_key, fingerprint, source,"
                + " pinned_by) values (?1, ?2, ?3, 'tofu', ?4) on conflict (node_id) do nothing")
                .setParameter(1, target.nodeId()).setParameter(2, HostKeys.openSshLine(offered))
                .setParameter(3, HostKeys.fingerprint(offered)).setParameter(4, SYSTEM).executeUpdate();
        if (inserted == 1) {
            audit.record(SYSTEM, "hostkey.pin_tofu", target.name(), AuditLog.OK,
                    Map.of("node_id", target.nodeId(), "fingerprint", HostKeys.fingerprint(offered)));
            return offered;
        }
        // Another first connection pinned in the meantime (the insert found its row): that pin stands.
        return pinned(target).orElseThrow(() -> new IllegalStateException("pin of node " + target.name()
                + " vanished while pinning"));
    }

    /** Kept even though the connection fails: its own transaction. */
    @Override
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void refused(SshTarget target, PublicKey offered, Optional<PublicKey> pinned) {
        String reason = pinned.isPresent() ? "mismatch" : "unpinned";
        String fingerprint = HostKeys.fingerprint(offered);
        em.createNativeQuery("insert into host_key_sighting (node_id, fingerprint, public_key, reason)"
                + " values (?1, ?2, ?3, ?4) on conflict (node_id, fingerprint)"
                + " do update set last_seen = now(), reason = excluded.reason")
                .setParameter(1, target.nodeId()).setParameter(2, fingerprint)
                .setParameter(3, HostKeys.openSshLine(offered)).setParameter(4, reason).executeUpdate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("node_id", target.nodeId());
        details.put("reason", reason);
        details.put("offered", fingerprint);
        pinned.ifPresent(key -> details.put("pinned", HostKeys.fingerprint(key)));
        audit.record(SYSTEM, "hostkey.refused", target.name(), AuditLog.REFUSED, details);
    }

    /** Strict onboarding: pin a key the node actually offered, chosen by its fingerprint. */
    @Transactional
    public HostKeyPinView approve(long nodeId, String fingerprint, String actor) {
        String node = nodeName(nodeId);
        if (pinnedFingerprint(nodeId).isPresent()) {
            throw refusedAction(actor, "hostkey.approve", node, new ConflictProblem("already-pinned",
                    "node " + node + " already has a pinned key; re-pin explicitly instead"));
        }
        String key = sighting(nodeId, fingerprint, actor, "hostkey.approve", node);
        em.createNativeQuery("insert into host_key_pin (node_id, public_key, fingerprint, source, pinned_by)"
                + " values (?1, ?2, ?3, 'approved', ?4)").setParameter(1, nodeId).setParameter(2, key)
                .setParameter(3, fingerprint).setParameter(4, actor).executeUpdate();
        forgetSighting(nodeId, fingerprint);
        audit.record(actor, "hostkey.approve", node, AuditLog.OK, Map.of("node_id", nodeId, "fingerprint", fingerprint));
        return pin(nodeId).orElseThrow();
    }

    /** Replaces a pin with a key the node offered since: the only way a pinned key ever changes. */
    @Transactional
    public HostKeyPinView repin(long nodeId, String fingerprint, String reason, String actor) {
        String node = nodeName(nodeId);
        String old = pinnedFingerprint(nodeId).orElseThrow(() -> refusedAction(actor, "hostkey.repin", node,
                new ConflictProblem("not-pinned", "node " + node + " has no pinned key; approve one instead")));
        if (reason == null || reason.isBlank()) {
            throw refusedAction(actor, "hostkey.repin", node,
                    new BadRequestProblem("reason-required", "a re-pin needs a reason for the audit trail"));
        }
        String key = sighting(nodeId, fingerprint, actor, "hostkey.repin", node);
        em.createNativeQuery("update host_key_pin set public_key = ?2, fingerprint = ?3, source = 'repinned',"
                + " pinned_at = now(), pinned_by = ?4 where node_id = ?1").setParameter(1, nodeId)
                .setParameter(2, key).setParameter(3, fingerprint).setParameter(4, actor).executeUpdate();
        forgetSighting(nodeId, fingerprint);
        audit.record(actor, "hostkey.repin", node, AuditLog.OK,
                Map.of("node_id", nodeId, "old", old, "new", fingerprint, "reason", reason));
        return pin(nodeId).orElseThrow();
    }

    /**
     * Pins nodes from OpenSSH known_hosts lines, matched on host and port; existing pins are left alone. The nodes
     * and pins are read in two queries and the new pins written as one JDBC batch: a 10,000-line file took three
     * statements a line and could outlast the transaction timeout on a busy controller.
     */
    @Transactional
    public KnownHostsImport importKnownHosts(String text, String actor) {
        int already = 0;
        List<String> conflicts = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        List<KnownHostsLine> lines = KnownHostsLine.parseAll(text, unsupported);
        Map<String, Long> nodes = new HashMap<>();
        for (SqlRow row : SqlRow.list(SqlRow.query(em, "select id, host, ssh_port from node"))) {
            nodes.putIfAbsent(row.text("host") + " " + row.integer("ssh_port"), row.whole("id"));
        }
        Map<Long, String> pinned = new HashMap<>();
        for (SqlRow row : SqlRow.list(SqlRow.query(em, "select node_id, fingerprint from host_key_pin"))) {
            pinned.put(row.whole("node_id"), row.text("fingerprint"));
        }
        Map<Long, String[]> fresh = new LinkedHashMap<>();
        for (KnownHostsLine line : lines) {
            for (KnownHostsLine.Endpoint endpoint : line.endpoints()) {
                Long nodeId = nodes.get(endpoint.host() + " " + endpoint.port());
                if (nodeId == null) {
                    unmatched.add(endpoint.toString());
                    continue;
                }
                String fingerprint = HostKeys.fingerprint(line.key());
                String existing = pinned.get(nodeId);
                if (existing != null) {
                    if (existing.equals(fingerprint)) {
                        already++;
                    } else {
                        conflicts.add(endpoint + " is pinned to " + existing + ", file says " + fingerprint);
                    }
                    continue;
                }
                pinned.put(nodeId, fingerprint);
                fresh.put(nodeId, new String[] { HostKeys.openSshLine(line.key()), fingerprint });
            }
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into host_key_pin (node_id,"
                    + " public_key, fingerprint, source, pinned_by) values (?, ?, ?, 'imported', ?)")) {
                for (Map.Entry<Long, String[]> pin : fresh.entrySet()) {
                    insert.setLong(1, pin.getKey());
                    insert.setString(2, pin.getValue()[0]);
                    insert.setString(3, pin.getValue()[1]);
                    insert.setString(4, actor);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
        int added = fresh.size();
        audit.record(actor, "hostkey.import", null, AuditLog.OK, Map.of("pinned", added, "already-pinned", already,
                "conflicts", conflicts.size(), "unmatched", unmatched.size(), "unsupported", unsupported.size()));
        return new KnownHostsImport(added, already, conflicts, unmatched, unsupported);
    }

    @Transactional
    public Optional<HostKeyPinView> pin(long nodeId) {
        List<HostKeyPinView> pins = pins("where p.node_id = ?1", nodeId, 0, 1);
        return pins.stream().findFirst();
    }

    @Transactional
    public List<HostKeyPinView> pins(Paging paging) {
        return pins("", null, paging.page(), paging.size());
    }

    @Transactional
    public long pinCount() {
        return ((Number) em.createNativeQuery("select count(*) from host_key_pin").getSingleResult()).longValue();
    }

    @Transactional
    public long sightingCount() {
        return ((Number) em.createNativeQuery("select count(*) from host_key_sighting").getSingleResult())
                .longValue();
    }

    @Transactional
    public List<HostKeySightingView> sightings(Paging paging) {
        int page = paging.page();
        int size = paging.size();
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select s.node_id, n.name, s.fingerprint, s.public_key,"
                + " s.reason, s.first_seen, s.last_seen from host_key_sighting s join node n on n.id = s.node_id"
                + " order by s.last_seen desc, s.node_id").setFirstResult(page * size).setMaxResults(size));
        return rows.stream().map(r -> new HostKeySightingView(r.whole("node_id"), r.text("name"),
                r.text("fingerprint"), r.text("public_key"), r.text("reason"), r.instant("first_seen"),
                r.instant("last_seen"))).toList();
    }

    private List<HostKeyPinView> pins(String where, Object parameter, int page, int size) {
        var query = SqlRow.query(em, "select p.node_id, n.name, p.public_key, p.fingerprint, p.source,"
                + " p.pinned_at, p.pinned_by from host_key_pin p join node n on n.id = p.node_id " + where
                + " order by n.name");
        if (parameter != null) {
            query.setParameter(1, parameter);
        }
        List<SqlRow> rows = SqlRow.list(query.setFirstResult(page * size).setMaxResults(size));
        return rows.stream().map(r -> new HostKeyPinView(r.whole("node_id"), r.text("name"), r.text("public_key"),
                r.text("fingerprint"), r.text("source"), r.instant("pinned_at"), r.text("pinned_by"))).toList();
    }

    private Optional<String> pinnedFingerprint(long nodeId) {
        List<?> rows = em.createNativeQuery("select fingerprint from host_key_pin where node_id = ?1")
                .setParameter(1, nodeId).getResultList();
        return rows.stream().map(String.class::cast).findFirst();
    }

    private String sighting(long nodeId, String fingerprint, String actor, String action, String node) {
        List<?> rows = em.createNativeQuery("select public_key from host_key_sighting where node_id = ?1"
                + " and fingerprint = ?2").setParameter(1, nodeId).setParameter(2, fingerprint).getResultList();
        if (rows.isEmpty()) {
            throw refusedAction(actor, action, node, NotFoundProblem.coded("no-such-sighting",
                    "node " + node + " never offered a key with fingerprint " + fingerprint));
        }
        return (String) rows.get(0);
    }

    private void forgetSighting(long nodeId, String fingerprint) {
        em.createNativeQuery("delete from host_key_sighting where node_id = ?1 and fingerprint = ?2")
                .setParameter(1, nodeId).setParameter(2, fingerprint).executeUpdate();
    }

    private String nodeName(long nodeId) {
        List<?> rows = em.createNativeQuery("select name from node where id = ?1").setParameter(1, nodeId)
                .getResultList();
        if (rows.isEmpty()) {
            throw new NotFoundProblem("node", nodeId);
        }
        return (String) rows.get(0);
    }

    /** A refused operator action is audited on its own: the caller's transaction rolls back. */
    private ProblemException refusedAction(String actor, String action, String node, ProblemException refused) {
        audit.recordAlone(actor, action, node, AuditLog.REFUSED, Map.of("code", refused.code()));
        refused.markAudited();
        return refused;
    }
}
