package io.popfleet.inventory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Page;
import io.popfleet.api.ProblemException;
import io.popfleet.inventory.importing.NodeSpec;
import io.popfleet.inventory.importing.NodeSpecValidator;
import io.popfleet.inventory.importing.SourcePosition;
import io.popfleet.security.AuditLog;

/** The fleet inventory: list, read, create, change and remove nodes; every change is audited. */
@ApplicationScoped
public class NodeService {

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<NodeView> list(NodeQuery query) {
        NodeFilter.Predicate where = query.filter().predicate();
        long total = ((Number) where.bind(em.createNativeQuery("select count(*) from node n where " + where.sql()))
                .getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Node> found = where.bind(em.createNativeQuery("select n.* from node n where " + where.sql()
                + " order by " + query.orderBy(), Node.class))
                .setFirstResult(query.paging().offset()).setMaxResults(query.size()).getResultList();
        return Page.of(found.stream().map(NodeView::of).toList(), query.paging(), total);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<NodeView> get(long id) {
        return Node.<Node>findByIdOptional(id).map(NodeView::of);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<NodeView> getByName(String name) {
        return Node.<Node>find("name", name).firstResultOptional().map(NodeView::of);
    }

    @Transactional
    public NodeView create(NodeInput input, String actor) {
        NodeSpec spec = validated(toSpec(input));
        refuseClashes(spec, null);
        Node node = new Node();
        apply(spec, node, groupResolver());
        node.persist();
        JumpHosts.refuseBroken(em);
        audit.record(actor, "node.create", node.name, AuditLog.OK, Map.of("id", node.id, "endpoint", node.endpoint()));
        return NodeView.of(node);
    }

    @Transactional
    public NodeView update(long id, NodeInput input, String actor) {
        Node node = Node.<Node>findByIdOptional(id).orElseThrow(() -> new NotFoundProblem("node", id));
        if (input.version() != null && input.version() != node.version) {
            throw new ConflictProblem("stale-version", "node " + node.name + " is at version " + node.version
                    + ", not " + input.version() + "; reload and try again");
        }
        NodeSpec spec = validated(toSpec(input));
        refuseClashes(spec, node.id);
        Map<String, Object> changes = NodeDiff.between(node, spec).asDetails();
        apply(spec, node, groupResolver());
        JumpHosts.refuseBroken(em);
        audit.record(actor, "node.update", node.name, AuditLog.OK, Map.of("id", node.id, "changes", changes));
        return NodeView.of(node);
    }

    @Transactional
    public void delete(long id, String actor) {
        Node node = Node.<Node>findByIdOptional(id).orElseThrow(() -> new NotFoundProblem("node", id));
        node.delete();
        JumpHosts.refuseBroken(em);
        audit.record(actor, "node.delete", node.name, AuditLog.OK, Map.of("id", id, "endpoint", node.endpoint()));
    }

    static NodeSpec toSpec(NodeInput input) {
        TreeMap<String, String> tags = new TreeMap<>();
        if (input.tags() != null) {
            input.tags().forEach(text -> {
                NodeTag tag = NodeTag.parse(text.strip());
                tags.put(tag.key, tag.value);
            });
        }
        List<String> groups = input.groups() == null ? List.of()
                : List.copyOf(new TreeSet<>(input.groups().stream().map(String::strip).toList()));
        return new NodeSpec(input.name().strip(), input.host().strip(),
                input.sshPort() == null ? NodeSpec.DEFAULT_SSH_PORT : input.sshPort(),
                blankToNull(input.sshUser()) == null ? NodeSpec.DEFAULT_SSH_USER : input.sshUser().strip(),
                blankToNull(input.credentialRef()), input.enabled() == null || input.enabled(),
                blankToNull(input.region()), blankToNull(input.walletAddress()), blankToNull(input.notes()),
                blankToNull(input.jump()), nodeTool(input.nodeTool()), blankToNull(input.nodeToolPath()), groups, tags,
                SourcePosition.UNKNOWN);
    }

    /** The mode as stored (lower case), so {@code Installed} from a client reads as the importer's words. */
    private static String nodeTool(String mode) {
        String given = blankToNull(mode);
        return given == null ? null : given.strip().toLowerCase(java.util.Locale.ROOT);
    }

    private static NodeSpec validated(NodeSpec spec) {
        List<String> problems = NodeSpecValidator.problemsOf(spec);
        if (!problems.isEmpty()) {
            List<ApiProblem.FieldError> errors = problems.stream()
                    .map(message -> new ApiProblem.FieldError(null, null, null, message)).toList();
            throw new ProblemException("validation-failed", "Invalid input", 400,
                    errors.size() + " field(s) are invalid", errors);
        }
        return spec;
    }

    private static void refuseClashes(NodeSpec spec, Long self) {
        Node.<Node>find("name", spec.name()).firstResultOptional()
                .filter(other -> !Objects.equals(other.id, self))
                .ifPresent(other -> {
                    throw new ConflictProblem("duplicate-node-name", "a node named " + spec.name() + " exists");
                });
        Node.<Node>find("host = ?1 and sshPort = ?2", spec.host(), spec.sshPort()).firstResultOptional()
                .filter(other -> !Objects.equals(other.id, self))
                .ifPresent(other -> {
                    throw new ConflictProblem("duplicate-node-endpoint", "node " + other.name + " already uses "
                            + other.endpoint());
                });
    }

    /** Creates missing groups on first use, once per name, within the caller's transaction. */
    static GroupResolver groupResolver() {
        Map<String, NodeGroup> known = new HashMap<>();
        NodeGroup.<NodeGroup>listAll().forEach(group -> known.put(group.name, group));
        return name -> known.computeIfAbsent(name, missing -> {
            NodeGroup group = new NodeGroup();
            group.name = missing;
            group.persist();
            return group;
        });
    }

    /** Makes {@code node} say what {@code spec} says. */
    static void apply(NodeSpec spec, Node node, GroupResolver groups) {
        node.name = spec.name();
        node.host = spec.host();
        node.sshPort = spec.sshPort();
        node.sshUser = spec.sshUser();
        node.credentialRef = spec.credentialRef();
        node.enabled = spec.enabled();
        node.region = spec.region();
        node.walletAddress = spec.walletAddress();
        node.notes = spec.notes();
        node.jump = spec.jump();
        node.nodeTool = spec.nodeTool();
        node.nodeToolPath = spec.nodeToolPath();
        if (!node.groupNames().equals(new TreeSet<>(spec.groups()))) {
            node.groups.clear();
            spec.groups().forEach(name -> node.groups.add(groups.resolve(name)));
        }
        if (!node.tagMap().equals(spec.tags())) {
            node.tags.clear();
            spec.tags().forEach((key, value) -> node.tags.add(new NodeTag(key, value)));
        }
    }

    /** Finds or creates a group by name. */
    @FunctionalInterface
    interface GroupResolver {
        NodeGroup resolve(String name);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
