package io.popfleet.inventory;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.inventory.importing.InventoryFormat;
import io.popfleet.inventory.importing.InventoryRejectedException;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/**
 * Inventory files in and out. The body is the file itself (YAML or Ansible INI); {@code format} is detected from
 * {@code filename} or the content when not given.
 */
@Path("/api/v1/inventory")
@Tag(name = "inventory", description = "Import and export inventory files")
@RolesAllowed(Roles.ADMIN)
public class ImportResource {

    @Inject
    ImportService imports;

    @Inject
    InventoryExport export;

    @Inject
    Caller caller;

    @POST
    @Path("import/preview")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "What importing this file would change; writes nothing")
    public ImportPlan preview(byte[] body, @QueryParam("format") String format,
            @QueryParam("filename") String fileName, @QueryParam("prune") @DefaultValue("false") boolean prune)
            throws InventoryRejectedException {
        return imports.preview(body, fileName, parseFormat(format), prune, caller.name());
    }

    @POST
    @Path("import/apply")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import this file in one transaction; pass the preview's fingerprint to refuse a changed plan")
    public ImportResult apply(byte[] body, @QueryParam("format") String format,
            @QueryParam("filename") String fileName, @QueryParam("prune") @DefaultValue("false") boolean prune,
            @QueryParam("fingerprint") String fingerprint) throws InventoryRejectedException {
        return imports.apply(body, fileName, parseFormat(format), prune, fingerprint, caller.name());
    }

    @RolesAllowed(Roles.VIEWER)
    @GET
    @Path("export")
    @Produces({ "application/yaml", MediaType.TEXT_PLAIN })
    @Operation(summary = "The whole inventory as a file (format=yaml or ini)")
    public Response export(@QueryParam("format") @DefaultValue("yaml") String format) {
        InventoryFormat chosen = parseFormat(format);
        if (chosen == null) {
            throw new BadRequestProblem("invalid-format", "format must be yaml or ini");
        }
        String name = chosen == InventoryFormat.INI ? "hosts.ini" : "fleet.yaml";
        return Response.ok(export.export(chosen))
                .type(chosen == InventoryFormat.INI ? "text/plain; charset=utf-8" : "application/yaml; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
    }

    /** A format parameter: yaml/yml or ini/ansible; null when blank (detect it); anything else a 400. */
    public static InventoryFormat parseFormat(String format) {
        if (format == null || format.isBlank()) {
            return null;
        }
        return switch (format.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "yaml", "yml" -> InventoryFormat.YAML;
            case "ini", "ansible" -> InventoryFormat.INI;
            default -> throw new BadRequestProblem("invalid-format", "format must be yaml or ini");
        };
    }
}
