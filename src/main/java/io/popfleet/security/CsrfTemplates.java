package io.popfleet.security;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/** {@code {csrf:token}}, {@code {csrf:field}} and {@code {csrf:header}} for the pages' forms and meta tag. */
@TemplateExtension(namespace = "csrf")
public final class CsrfTemplates {

    private CsrfTemplates() {
    }

    static String token() {
        return CsrfTokens.current(Arc.container().instance(CurrentVertxRequest.class).get().getCurrent());
    }

    static String field() {
        return CsrfTokens.FIELD;
    }

    static String header() {
        return CsrfTokens.HEADER;
    }
}
