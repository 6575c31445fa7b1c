package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/**
 * Named strategies an operator stores once and reuses: loaded by the wizard, named by a rollout request
 * ({@code "strategy": "<name>"}), and optionally a group's default, used when a request for that one group names
 * no strategy at all.
 */
@ApplicationScoped
public class StrategyStore {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final int MAX_DESCRIPTION = 500;

    @Inject
    EntityManager em;

    @Inject
    RolloutService rollouts;

    @Inject
    AuditLog audit;

    @Transactional
    public List<StoredStrategy> list() {
        return SqlRow.list(SqlRow.query(em, SELECT + " order by s.name")).stream().map(this::view).toList();
    }

    @Transactional
    public StoredStrategy get(String name) {
        return find(name).orElseThrow(() -> new NotFoundProblem("strategy", name));
    }

    @Transactional
    public Optional<StoredStrategy> find(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return SqlRow.list(SqlRow.query(em, SELECT + " where s.name = :name").setParameter("name", name)).stream()
                .map(this::view).findFirst();
    }

    /** The default strategy of this group, if one is bound to it. */
    @Transactional
    public Optional<StoredStrategy> defaultFor(String group) {
        return SqlRow.list(SqlRow.query(em, SELECT + " where g.name = :group").setParameter("group", group))
                .stream().map(this::view).findFirst();
    }

    /** The strategy a selection takes when it names none: its group's default, when it selects exactly one group. */
    @Transactional
    public Optional<StoredStrategy> selectionDefault(List<String> groups) {
        return groups != null && groups.size() == 1 ? defaultFor(groups.get(0)) : Optional.empty();
    }

    @Transactional
    public StoredStrategy create(StoredStrategy.Input input, String actor) {
        StoredStrategy.Input checked = validate(input, input == null ? null : input.name());
        if (find(checked.name()).isPresent()) {
            throw new ConflictProblem("strategy-exists", "a strategy named " + checked.name() + " exists; change"
                    + " it with PUT /api/v1/rollouts/strategies/" + checked.name());
        }
        Long group = boundGroup(checked, null);
        long id = ((Number) em.createNativeQuery("select nextval('rollout_strategy_seq')").getSingleResult())
                .longValue();
        em.createNativeQuery("insert into rollout_strategy (id, name, description, strategy, group_id, created_by,"
                + " updated_by) values (?1, ?2, ?3, cast(?4 as jsonb), ?5, ?6, ?6)").setParameter(1, id)
                .setParameter(2, checked.name()).setParameter(3, checked.description())
                .setParameter(4, rollouts.write(checked.strategy())).setParameter(5, group)
                .setParameter(6, actor).executeUpdate();
        audit.record(actor, "rollout.strategy.create", "strategy " + checked.name(), AuditLog.OK, details(checked));
        return get(checked.name());
    }

    /** Replaces the strategy named {@code name} whole (its description and group binding too). */
    @Transactional
    public StoredStrategy update(String name, StoredStrategy.Input input, String actor) {
        StoredStrategy current = get(name);
        if (input != null && input.name() != null && !input.name().equals(current.name())) {
            throw new ProblemException("invalid-strategy", "Invalid strategy", 400, "the body names "
                    + input.name() + ", the path " + name + "; a strategy is not renamed",
                    List.of(new ApiProblem.FieldError("name", null, null, "must be " + name + " or left out")));
        }
        StoredStrategy.Input checked = validate(input, current.name());
        Long group = boundGroup(checked, current.name());
        em.createNativeQuery("update rollout_strategy set description = ?2, strategy = cast(?3 as jsonb),"
                + " group_id = ?4, updated_by = ?5, updated_at = now() where name = ?1")
                .setParameter(1, current.name()).setParameter(2, checked.description())
                .setParameter(3, rollouts.write(checked.strategy())).setParameter(4, group).setParameter(5, actor)
                .executeUpdate();
        audit.record(actor, "rollout.strategy.update", "strategy " + current.name(), AuditLog.OK, details(checked));
        return get(current.name());
    }

    @Transactional
    public void delete(String name, String actor) {
        StoredStrategy current = get(name);
        em.createNativeQuery("delete from rollout_strategy where name = ?1").setParameter(1, current.name())
                .executeUpdate();
        audit.record(actor, "rollout.strategy.delete", "strategy " + current.name(), AuditLog.OK,
                Map.of("name", current.name()));
    }

    /**
     * The request with the strategy it names (or its one group's default, when it names none) written in; a name
     * that is not stored is a 400 naming the field.
     */
    @Transactional
    public RolloutRequest resolve(RolloutRequest request) {
        if (request.strategyName() != null) {
            StoredStrategy stored = find(request.strategyName()).orElseThrow(() -> new ProblemException(
                    "invalid-strategy", "Invalid strategy", 400, "no stored strategy is named \""
                            + request.strategyName() + "\"; nothing was started", List.of(new ApiProblem.FieldError(
                                    "strategy", null, null, "no stored strategy is named \"" + request.strategyName()
                                            + "\""))));
            return request.withStrategy(stored.strategy());
        }
        if (request.strategy() == null) {
            return selectionDefault(request.groups()).map(stored -> request.withStrategy(stored.strategy()))
                    .orElse(request);
        }
        return request;
    }

    /** Every wrong field of the input in one 400 (strategy fields as {@code strategy.<field>}). */
    private StoredStrategy.Input validate(StoredStrategy.Input input, String name) {
        if (input == null) {
            throw new ProblemException("invalid-strategy", "Invalid strategy", 400, "the body must be a strategy"
                    + " (name, description, defaultFor, strategy)", List.of());
        }
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        String named = name == null ? null : name.strip();
        if (named == null || named.isEmpty()) {
            errors.add(new ApiProblem.FieldError("name", null, null, "give the strategy a name"));
        } else if (!NAME.matcher(named).matches()) {
            errors.add(new ApiProblem.FieldError("name", null, null, "a name is 1 to 64 letters, digits, dots,"
                    + " dashes or underscores, starting with a letter or digit"));
        }
        String description = input.description() == null || input.description().isBlank() ? null
                : input.description().strip();
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add(new ApiProblem.FieldError("description", null, null, "at most " + MAX_DESCRIPTION
                    + " characters"));
        }
        String group = input.defaultFor() == null || input.defaultFor().isBlank() ? null : input.defaultFor().strip();
        if (group != null && groupId(group) == null) {
            errors.add(new ApiProblem.FieldError("defaultFor", null, null, "no group is named \"" + group + "\""));
        }
        StrategySpec spec = input.strategy() == null ? RolloutRequest.NO_STRATEGY : input.strategy();
        spec.problems().forEach(error -> errors.add(new ApiProblem.FieldError(error.field() == null ? "strategy"
                : "strategy." + error.field(), null, null, error.message())));
        if (!errors.isEmpty()) {
            throw new ProblemException("invalid-strategy", "Invalid strategy", 400, errors.size()
                    + " field(s) of the strategy are invalid; nothing was stored", errors);
        }
        return new StoredStrategy.Input(named, description, group, spec.resolved());
    }

    /** The group to bind, refused when another strategy is that group's default already. */
    private Long boundGroup(StoredStrategy.Input input, String self) {
        if (input.defaultFor() == null) {
            return null;
        }
        Optional<StoredStrategy> other = defaultFor(input.defaultFor());
        if (other.isPresent() && !other.get().name().equals(self)) {
            throw new ConflictProblem("group-has-default", "group " + input.defaultFor() + "'s default strategy is "
                    + other.get().name() + "; unbind it there first", List.of(new ApiProblem.FieldError(
                            "defaultFor", null, null, "the default of " + input.defaultFor() + " is "
                                    + other.get().name())));
        }
        return groupId(input.defaultFor());
    }

    private Long groupId(String group) {
        return SqlRow.list(SqlRow.query(em, "select id from node_group where name = :name").setParameter("name",
                group)).stream().map(row -> row.whole("id")).findFirst().orElse(null);
    }

    private static Map<String, Object> details(StoredStrategy.Input input) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", input.name());
        details.put("defaultFor", input.defaultFor());
        details.put("strategy", input.strategy());
        return details;
    }

    private static final String SELECT = "select s.name, s.description, g.name as group_name,"
            + " s.strategy::text as strategy_json, s.created_by, s.created_at, s.updated_by, s.updated_at"
            + " from rollout_strategy s left join node_group g on g.id = s.group_id";

    private StoredStrategy view(SqlRow row) {
        return new StoredStrategy(row.text("name"), row.text("description"), row.text("group_name"),
                rollouts.read(row.text("strategy_json")), row.text("created_by"), row.instant("created_at"),
                row.text("updated_by"), row.instant("updated_at"));
    }
}
