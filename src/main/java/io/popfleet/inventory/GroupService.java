package io.popfleet.inventory;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.inventory.importing.NodeRules;
import io.popfleet.security.AuditLog;

/** Node groups. Counts come from one aggregate query, not from loading members. */
@ApplicationScoped
public class GroupService {

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<GroupView> list() {
        return em.createQuery("""
                select new io.popfleet.inventory.GroupView(g.id, g.name, g.description,
                    (select count(*) from Node n join n.groups m where m = g))
                from NodeGroup g order by g.name""", GroupView.class).getResultList();
    }

    @Transactional
    public GroupView create(String name, String description, String actor) {
        NodeRules.group(name == null ? "" : name).ifPresent(problem -> {
            throw new BadRequestProblem("invalid-group-name", problem);
        });
        if (description != null) {
            // The same rule as imports: one line of at most 500 characters, since it reaches INI files and pages.
            NodeRules.groupDescription(name, description).ifPresent(problem -> {
                throw new BadRequestProblem("invalid-group-description", problem);
            });
        }
        if (NodeGroup.findByName(name).isPresent()) {
            throw new ConflictProblem("duplicate-group-name", "a group named " + name + " exists");
        }
        NodeGroup group = new NodeGroup();
        group.name = name;
        group.description = description;
        group.persist();
        em.flush();
        audit.record(actor, "group.create", name, AuditLog.OK, Map.of("id", group.id));
        return new GroupView(group.id, group.name, group.description, 0);
    }

    @Transactional
    public void delete(long id, String actor) {
        NodeGroup group = NodeGroup.<NodeGroup>findByIdOptional(id)
                .orElseThrow(() -> new NotFoundProblem("group", id));
        long members = em.createQuery("select count(*) from Node n join n.groups g where g = :group", Long.class)
                .setParameter("group", group).getSingleResult();
        // Membership rows go with the group (ON DELETE CASCADE); the nodes stay.
        em.createNativeQuery("delete from node_group_member where group_id = :id").setParameter("id", id)
                .executeUpdate();
        group.delete();
        audit.record(actor, "group.delete", group.name, AuditLog.OK, Map.of("id", id, "members", members));
    }
}
