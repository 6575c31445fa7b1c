package io.popfleet.rollout;

import java.util.List;

/**
 * Who runs what: the enabled nodes by the binary version they last reported.
 *
 * @param target the version compared against: asked for, else the newest registered release (null: none)
 * @param behind nodes on a version older than the target
 */
public record FleetVersions(String target, int behind, List<Version> versions) {

    /** @param version null: never polled, or no working binary */
    public record Version(String version, int nodes, boolean behind) {
    }
}
