package io.popfleet.api;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * The body half of {@link InputBoundary}: a whole-form body (read as a map) and a text body are checked for U+0000
 * as they are read, whichever resource reads them. File bodies (inventory imports) are checked by their parsers,
 * which report the line.
 */
@Provider
public class BodyBoundary implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body instanceof String text) {
            InputBoundary.refuse("request body", "body", text);
        } else if (body instanceof Map<?, ?> form) {
            for (Map.Entry<?, ?> field : form.entrySet()) {
                String name = String.valueOf(field.getKey());
                InputBoundary.refuse("form field", name, name);
                if (field.getValue() instanceof List<?> values) {
                    values.forEach(value -> InputBoundary.refuse("form field", name, String.valueOf(value)));
                }
            }
        }
        return body;
    }
}
