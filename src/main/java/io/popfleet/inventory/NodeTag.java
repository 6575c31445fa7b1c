package io.popfleet.inventory;

import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A free tag on a node: {@code key} alone, or {@code key=value}. */
@Embeddable
public class NodeTag {

    @Column(name = "tag_key", nullable = false)
    public String key;

    @Column(name = "tag_value")
    public String value;

    protected NodeTag() {
    }

    public NodeTag(String key, String value) {
        this.key = key;
        this.value = value;
    }

    /** Parses {@code eu} or {@code provider=hetzner}. */
    public static NodeTag parse(String text) {
        int eq = text.indexOf('=');
        return eq < 0 ? new NodeTag(text, null) : new NodeTag(text.substring(0, eq), text.substring(eq + 1));
    }

    @Override
    public String toString() {
        return value == null ? key : key + "=" + value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeTag tag && key.equals(tag.key) && Objects.equals(value, tag.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value);
    }
}
