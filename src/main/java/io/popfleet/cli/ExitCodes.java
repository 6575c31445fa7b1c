package io.popfleet.cli;

/** The exit codes scripts can rely on (docs/cli.md lists them). */
public final class ExitCodes {

    /** Done; for a run, every node succeeded. */
    public static final int OK = 0;
    /** The run finished, but at least one node failed, was cancelled or its result is unknown. */
    public static final int SOME_FAILED = 1;
    /** Bad arguments or options, or no usable configuration (URL, token, config file). */
    public static final int USAGE = 2;
    /** The controller refused the request (a 4xx problem other than 401/403); nothing was changed. */
    public static final int REFUSED = 3;
    /** The token is missing, unknown, expired or revoked (401), or its role may not do this (403). */
    public static final int UNAUTHORIZED = 4;
    /** The controller could not be reached, its TLS certificate was not trusted, or it failed (5xx). */
    public static final int UNAVAILABLE = 5;

    /** A bug in the command line itself (EX_SOFTWARE); the message says what happened. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
