package io.popfleet.rollout;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Rolling updates: releases held by the controller, and how the engine moves rollouts along. */
@ConfigMapping(prefix = "popfleet.rollout")
public interface RolloutConfig {

    /**
     * The largest node binary an upload may register, in bytes. Uploads also meet the HTTP body limit
     * ({@code quarkus.http.limits.max-body-size}, 11M by default): raise both for a bigger binary.
     */
    @WithDefault("10485760")
    long maxReleaseBytes();

    /** Where releases are kept; unset: {@code <data-dir>/releases}. */
    Optional<String> releaseDir();

    /** How often the engine's tick (once per cluster) moves every open rollout one step. */
    @WithDefault("2s")
    String tickInterval();

    /** Binaries shipped by this controller at once (each to one node). */
    @WithDefault("16")
    int shipConcurrency();

    /**
     * Ship the release to the waiting nodes of the current and the next batch while the rollout waits (a soak, a
     * pause between batches, a region's turn, an operator's promotion), so each update finds the binary in place
     * instead of waiting for its upload. Staging changes nothing a node runs: the file waits in the login's cache
     * ({@link ReleaseShipper}), and a node staged for a rollout that then stops keeps only that file. It takes a
     * shipping slot only when no node whose turn it is waits for one. Off: each node gets the binary on its turn.
     */
    @WithDefault("true")
    boolean stageAhead();

    /**
     * Seconds after which a node left "shipping" by a controller that stopped is shipped again (shipping is
     * content-addressed and verified on the node, so a second shipment is harmless).
     */
    @WithDefault("120")
    int shipLeaseSeconds();

    /**
     * Whether a release may be fetched over plain {@code http://} ({@code POST /api/v1/releases/fetch}); https
     * only by default. The pinned sha256 is computed from the bytes received either way.
     */
    @WithDefault("false")
    boolean fetchAllowHttp();

    /** How long fetching a release by URL may take as a whole: connecting, every redirect and the body. */
    @WithDefault("5m")
    Duration fetchTimeout();

    /** Redirects a release fetch follows (each target is checked like the first URL). */
    @WithDefault("3")
    int fetchMaxRedirects();

    /** Seconds one node's update usually takes, for the preview's estimate. */
    @WithDefault("90")
    int estimatedNodeSeconds();
}
