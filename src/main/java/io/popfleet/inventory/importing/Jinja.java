package io.popfleet.inventory.importing;

/** Ansible renders {{ … }} in inventory values at run time; PoP Fleet stores values as written, so it refuses them. */
final class Jinja {

    static final String NOT_EVALUATED = "PoP Fleet does not evaluate Jinja templates ({{ }}, {% %}); write the value "
            + "itself";

    private Jinja() {
    }

    static boolean in(String value) {
        return value != null && (value.contains("{{") || value.contains("{%") || value.contains("{#"));
    }
}
