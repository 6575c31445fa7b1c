package io.popfleet.nodetool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code popfleet.node/v1} JSON Schema in {@code docs/node-json.schema.json}, and an assertion on it. */
public final class NodeJsonSchema {

    private static Schema schema;

    private NodeJsonSchema() {
    }

    static synchronized Schema schema() {
        if (schema == null) {
            Path file = PopTool.scriptsDir().getParent().resolve("docs/node-json.schema.json");
            try {
                schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                        .getSchema(Files.readString(file), InputFormat.JSON);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schema;
    }

    /** What is wrong with this JSON text against the schema; empty when it is a valid answer. */
    public static List<Error> errors(String json) {
        return schema().validate(json, InputFormat.JSON);
    }

    /** Asserts that RESULT's stdout is exactly one object valid against the schema; returns it. */
    public static JsonNode assertValid(PopTool.Result result) {
        JsonNode json = result.json();
        List<Error> errors = schema().validate(result.stdout(), InputFormat.JSON);
        assertThat(errors).as("schema errors for %s", result).isEmpty();
        assertThat(result.stdout().strip().lines().count()).as("one line of JSON").isEqualTo(1);
        assertThat(result.exitCode() == 0).as("exit 0 exactly when ok: %s", result)
                .isEqualTo(json.get("ok").asBoolean());
        return json;
    }
}
