package io.popfleet.rollout;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.runs.NodeSelection;

/**
 * A rollout to preview or start: the release version, which nodes (the fleet search's filters, disabled nodes
 * shown as skipped) and how: a strategy written out, or the name of a stored one ({@code "strategy": "<name>"},
 * {@link StrategyStore}).
 *
 * @param strategyName the stored strategy named instead of {@code strategy}; null when none is named
 */
public record RolloutRequest(String version, List<String> groups, List<String> tags, String q, List<String> names,
        StrategySpec strategy, @JsonIgnore String strategyName) {

    /** A strategy with every field left to its default. */
    public static final StrategySpec NO_STRATEGY = new StrategySpec(null, null, null, null, null, null, null, null,
            null, null, null, null);

    // Only to turn the strategy's JSON object into its record: the body has already passed the API's own parser.
    private static final ObjectMapper OBJECTS = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RolloutRequest(String version, List<String> groups, List<String> tags, String q, List<String> names,
            StrategySpec strategy) {
        this(version, groups, tags, q, names, strategy, null);
    }

    /** The API's body: {@code strategy} is an object (the fields) or a string (a stored strategy's name). */
    @JsonCreator
    static RolloutRequest fromJson(@JsonProperty("version") String version,
            @JsonProperty("groups") List<String> groups, @JsonProperty("tags") List<String> tags,
            @JsonProperty("q") String q, @JsonProperty("names") List<String> names,
            @JsonProperty("strategy") JsonNode strategy) {
        if (strategy == null || strategy.isNull()) {
            return new RolloutRequest(version, groups, tags, q, names, null, null);
        }
        if (strategy.isTextual()) {
            return new RolloutRequest(version, groups, tags, q, names, null, strategy.asText().strip());
        }
        if (!strategy.isObject()) {
            throw new BadRequestProblem("invalid-strategy", "strategy is an object of strategy fields or the name"
                    + " of a stored strategy");
        }
        try {
            return new RolloutRequest(version, groups, tags, q, names, OBJECTS.treeToValue(strategy,
                    StrategySpec.class), null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequestProblem("invalid-strategy", "strategy: " + e.getOriginalMessage());
        }
    }

    /** This request with the strategy written in (a stored one it named, or its group's default). */
    public RolloutRequest withStrategy(StrategySpec spec) {
        return new RolloutRequest(version, groups, tags, q, names, spec, null);
    }

    /** Every node the filters match, disabled ones too: the preview names them as skipped. */
    public NodeSelection selection() {
        return new NodeSelection(groups, tags, q, names, true);
    }

    public RolloutStrategy parsedStrategy() {
        return spec().toStrategy();
    }

    /** The strategy in full, defaults filled in, as the rollout stores it. */
    public StrategySpec spec() {
        return (strategy == null ? NO_STRATEGY : strategy).resolved();
    }
}
