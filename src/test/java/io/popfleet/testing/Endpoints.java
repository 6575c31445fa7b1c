package io.popfleet.testing;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every HTTP endpoint the controller serves, read from the compiled resource classes (REST resources and pages
 * alike), so a security or input test that walks this list cannot forget an endpoint added later.
 */
public final class Endpoints {

    /** Where a parameter travels. */
    public enum In {
        PATH, QUERY, FORM
    }

    public record Param(String name, In in, Class<?> type) {
    }

    /**
     * One method on one path.
     *
     * @param path the template with {@code {name}} placeholders, as JAX-RS declares it
     * @param consumes media types the method declares (its class's when it declares none); empty when unstated
     * @param bodyParam the type of an unannotated body parameter (JSON DTO, form map, text), or null
     */
    public record Endpoint(String method, String path, List<Param> params, Set<String> consumes, Class<?> bodyParam,
            Class<?> resource, Method javaMethod) {

        public boolean isApi() {
            return path.startsWith("/api/");
        }

        public boolean isRead() {
            return method.equals("GET");
        }

        /** The path with every placeholder filled by {@code value}. */
        public String pathWith(String value) {
            return path.replaceAll("\\{[^}/]+}", value);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static final List<Class<? extends Annotation>> VERBS = List.of(GET.class, POST.class, PUT.class,
            DELETE.class, PATCH.class);

    private Endpoints() {
    }

    /** All endpoints under {@code io.popfleet}, sorted by path then method. */
    public static List<Endpoint> all() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JavaClass javaClass : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.popfleet")) {
            if (javaClass.isAnnotatedWith(Path.class)) {
                addResource(javaClass.reflect(), endpoints);
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::path).thenComparing(Endpoint::method));
        return List.copyOf(endpoints);
    }

    private static void addResource(Class<?> resource, List<Endpoint> into) {
        String base = resource.getAnnotation(Path.class).value();
        for (Method method : resource.getDeclaredMethods()) {
            for (Class<? extends Annotation> verb : VERBS) {
                if (method.isAnnotationPresent(verb)) {
                    Path sub = method.getAnnotation(Path.class);
                    into.add(new Endpoint(verb.getSimpleName(), join(base, sub == null ? "" : sub.value()),
                            params(method), consumes(resource, method), body(method), resource, method));
                }
            }
        }
    }

    private static List<Param> params(Method method) {
        List<Param> params = new ArrayList<>();
        for (Parameter parameter : method.getParameters()) {
            Param param = param(parameter);
            if (param != null) {
                params.add(param);
            }
        }
        return List.copyOf(params);
    }

    private static Param param(Parameter p) {
        if (p.isAnnotationPresent(PathParam.class)) {
            return new Param(p.getAnnotation(PathParam.class).value(), In.PATH, p.getType());
        }
        if (p.isAnnotationPresent(RestPath.class)) {
            return new Param(name(p.getAnnotation(RestPath.class).value(), p), In.PATH, p.getType());
        }
        if (p.isAnnotationPresent(QueryParam.class)) {
            return new Param(p.getAnnotation(QueryParam.class).value(), In.QUERY, p.getType());
        }
        if (p.isAnnotationPresent(RestQuery.class)) {
            return new Param(name(p.getAnnotation(RestQuery.class).value(), p), In.QUERY, p.getType());
        }
        if (p.isAnnotationPresent(FormParam.class)) {
            return new Param(p.getAnnotation(FormParam.class).value(), In.FORM, p.getType());
        }
        if (p.isAnnotationPresent(RestForm.class)) {
            return new Param(name(p.getAnnotation(RestForm.class).value(), p), In.FORM, p.getType());
        }
        return null;
    }

    /** The body: the one parameter without a JAX-RS annotation (context objects like UriInfo excluded). */
    private static Class<?> body(Method method) {
        return Arrays.stream(method.getParameters())
                .filter(p -> p.getAnnotations().length == 0)
                .map(Parameter::getType)
                .filter(type -> !type.getName().startsWith("jakarta.ws.rs.core.UriInfo")
                        && !type.getName().startsWith("jakarta.ws.rs.core.HttpHeaders")
                        && !type.getName().startsWith("io.vertx"))
                .findFirst().orElse(null);
    }

    private static Set<String> consumes(Class<?> resource, Method method) {
        Consumes consumes = method.isAnnotationPresent(Consumes.class) ? method.getAnnotation(Consumes.class)
                : resource.getAnnotation(Consumes.class);
        return consumes == null ? Set.of() : new TreeSet<>(Arrays.asList(consumes.value()));
    }

    private static String name(String declared, Parameter p) {
        // RESTEasy Reactive takes the Java parameter name when the annotation names none (compiled with -parameters).
        return declared == null || declared.isEmpty() ? p.getName() : declared;
    }

    private static String join(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
