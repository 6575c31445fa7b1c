package io.popfleet.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * The one check every text input passes before any resource sees it: no U+0000. PostgreSQL cannot store a NUL in
 * text, so a NUL that reached a query or an insert would fail there as an internal error, and no page or field
 * needs one. Query and path parameters are checked before matching, form fields (URL-encoded and multipart, file
 * names included) after the form is read; JSON string values are checked by {@link NulRefusingJson}.
 */
public class InputBoundary {

    public static final String PROBLEM_CODE = "invalid-characters";
    private static final char NUL = '\0';

    @ServerRequestFilter(preMatching = true)
    public void pathAndQuery(ResteasyReactiveContainerRequestContext request) {
        // Decoded values: "%00" in the raw URI is the NUL we refuse; a literal "%2500" decodes to "%00" and is fine.
        refuseIn("path", Map.of("path", List.of(request.getUriInfo().getPath(true))));
        refuseIn("query parameter", request.getUriInfo().getQueryParameters(true));
    }

    /** After the form is read (without {@code @WithFormRead} a filter runs before it and sees no fields). */
    @ServerRequestFilter
    @WithFormRead
    public void formFields(ResteasyReactiveContainerRequestContext request) {
        if (!(request.getServerRequestContext() instanceof ResteasyReactiveRequestContext context)) {
            return;
        }
        FormData form = context.getFormData();
        if (form == null) {
            return;
        }
        for (String name : form) {
            refuse("form field", name, name);
            for (FormValue value : form.get(name)) {
                if (value.isFileItem()) {
                    refuse("file name of form field", name, value.getFileName());
                } else {
                    refuse("form field", name, value.getValue());
                }
            }
        }
    }

    /** True when {@code text} may be stored: null or free of NUL. */
    public static boolean storable(String text) {
        return text == null || text.indexOf(NUL) < 0;
    }

    private static void refuseIn(String where, Map<String, List<String>> values) {
        values.forEach((name, list) -> {
            refuse(where, name, name);
            list.forEach(value -> refuse(where, name, value));
        });
    }

    private static void refuseIn(String where, MultivaluedMap<String, String> values) {
        refuseIn(where, (Map<String, List<String>>) values);
    }

    static void refuse(String where, String name, String value) {
        if (!storable(value)) {
            // The name is shown only when it is a plain short name, so the problem never carries hostile text back.
            String shown = name.matches("[A-Za-z0-9._-]{1,64}") ? " '" + name + "'" : "";
            throw new BadRequestProblem(PROBLEM_CODE, where + shown + " contains a NUL character (U+0000)");
        }
    }
}
