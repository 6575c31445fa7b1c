package io.popfleet.ops;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.security.Roles;

/**
 * The catalog a run may name: each operation, its arguments with what a valid value looks like, and whether it
 * changes nodes. Errors about an unknown operation point here.
 */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "One node-tool operation over many nodes")
@RolesAllowed(Roles.VIEWER)
public class OperationResource {

    /**
     * One operation as a client needs it to start a run.
     *
     * @param mutates {@code always}, {@code never} or {@code by-arguments} (then {@code mutatesWhen} says which)
     * @param repeats whether the last positional argument takes several values
     * @param waitOption the option bounding how long it waits on the node, or null
     */
    public record OperationView(String operation, String summary, String mutates, String mutatesWhen,
            List<ArgumentView> arguments, boolean repeats, List<OptionView> options, String waitOption) {
    }

    /** A positional argument, in order. */
    public record ArgumentView(String name, boolean required, String valid) {
    }

    /** {@code --name}: a flag (no value), or an option whose value must be {@code valid}. */
    public record OptionView(String name, boolean flag, String valid) {
    }

    @Inject
    OperationCatalog catalog;

    @GET
    @org.eclipse.microprofile.openapi.annotations.Operation(
            summary = "Every operation a run can start, its arguments and whether it changes nodes")
    public List<OperationView> list() {
        return catalog.all().stream().map(OperationResource::view).toList();
    }

    private static OperationView view(Operation operation) {
        return new OperationView(operation.command(), operation.summary(), operation.mutates().word(),
                mutatesWhen(operation.command(), operation.mutates()),
                operation.positional().stream()
                        .map(p -> new ArgumentView(p.name(), p.required(), p.rule().hint())).toList(),
                operation.repeats(),
                operation.options().stream()
                        .map(o -> new OptionView(o.name(), o.isFlag(), o.isFlag() ? null : o.rule().hint())).toList(),
                operation.waits() == null ? null : operation.waits().option());
    }

    /** In words, the rule {@link OperationCatalog#mutates} applies to a by-arguments operation. */
    private static String mutatesWhen(String command, Operation.Mutates mutates) {
        if (mutates != Operation.Mutates.BY_ARGUMENTS) {
            return null;
        }
        return switch (command) {
            case "configure" -> "when a setting is given as KEY=VALUE";
            case "ports" -> "with --enable-80-443 or --disable-80-443";
            case "auth" -> "with add-key or remove-key";
            default -> "always, until the catalog says otherwise";
        };
    }
}
