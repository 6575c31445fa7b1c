package io.popfleet.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.ProblemException;
import io.popfleet.inventory.ImportPlan;
import io.popfleet.inventory.ImportResource;
import io.popfleet.inventory.ImportResult;
import io.popfleet.inventory.ImportService;
import io.popfleet.inventory.InventoryFiles;
import io.popfleet.inventory.importing.ImportProblem;
import io.popfleet.inventory.importing.InventoryFormat;
import io.popfleet.inventory.importing.InventoryLimits;
import io.popfleet.inventory.importing.InventoryRejectedException;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/**
 * Import an inventory: paste or upload, see the plan, apply it. The preview carries the file text back in the
 * apply form, so the controller keeps no upload state between the two steps.
 */
@Path("/import")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class ImportPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(String nav, String maxSize);

        static native TemplateInstance preview(ImportPlan plan, String content, String fileName, String format);

        static native TemplateInstance rejected(List<ImportProblem> problems, String title);

        static native TemplateInstance applied(ImportResult result);
    }

    @Inject
    ImportService imports;

    @Inject
    Caller caller;

    @GET
    public TemplateInstance page() {
        return Templates.page("import", InventoryLimits.describeSize(InventoryLimits.MAX_BYTES));
    }

    @POST
    @Path("preview")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public TemplateInstance preview(@RestForm String content, @RestForm("file") FileUpload file,
            @RestForm String format, @RestForm String prune) {
        Upload upload = Upload.of(content, file);
        if (upload.problem() != null) {
            return Templates.rejected(List.of(upload.problem()), "Nothing to import");
        }
        try {
            ImportPlan plan = imports.preview(upload.bytes(), upload.fileName(), format(format), "on".equals(prune),
                    caller.name());
            return Templates.preview(plan, new String(upload.bytes(), StandardCharsets.UTF_8),
                    upload.fileName(), plan.format().name().toLowerCase());
        } catch (InventoryRejectedException e) {
            return Templates.rejected(e.problems(), "The file was refused; nothing was changed");
        } catch (ProblemException e) {
            return Templates.rejected(List.of(ImportProblem.ofFile(e.getMessage())), "Nothing was changed");
        }
    }

    @POST
    @Path("apply")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance apply(@RestForm String content, @RestForm String fileName, @RestForm String format,
            @RestForm String prune, @RestForm String fingerprint) {
        try {
            ImportResult result = imports.apply(content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8),
                    fileName, format(format), "true".equals(prune), fingerprint, caller.name());
            return Templates.applied(result);
        } catch (InventoryRejectedException e) {
            return Templates.rejected(e.problems(), "The file was refused; nothing was changed");
        } catch (ProblemException e) {
            return Templates.rejected(List.of(ImportProblem.ofFile(e.getMessage())), "Nothing was changed");
        }
    }

    /** auto (or nothing) detects the format; otherwise the API's parser, which refuses anything but yaml or ini. */
    private static InventoryFormat format(String format) {
        return format == null || format.isBlank() || "auto".equals(format) ? null
                : ImportResource.parseFormat(format);
    }

    /** The file to import: the uploaded one if any, else the pasted text. */
    record Upload(byte[] bytes, String fileName, ImportProblem problem) {
        static Upload of(String pasted, FileUpload file) {
            try {
                if (file != null && file.size() > 0) {
                    if (file.size() > InventoryLimits.MAX_BYTES) {
                        return new Upload(null, file.fileName(), ImportProblem.ofFile(
                                InventoryFiles.tooLarge(file.size()).getMessage()));
                    }
                    return new Upload(Files.readAllBytes(file.uploadedFile()), file.fileName(), null);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (pasted == null || pasted.isBlank()) {
                return new Upload(null, null, ImportProblem.ofFile("paste an inventory or choose a file first"));
            }
            return new Upload(pasted.getBytes(StandardCharsets.UTF_8), null, null);
        }
    }
}
