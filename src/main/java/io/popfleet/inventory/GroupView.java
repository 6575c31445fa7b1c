package io.popfleet.inventory;

/** A group and how many nodes are in it. */
public record GroupView(long id, String name, String description, long nodeCount) {
}
