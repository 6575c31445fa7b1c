package io.popfleet.testing;

/** What a test-fleet node can be told to do wrong, and the failure the controller must classify it as. */
public enum Fault {
    /** The address stops listening: {@code unreachable}. */
    REFUSE_CONNECTION,
    /** TCP accepts, the SSH banner comes late: {@code timeout} in the auth phase. */
    DELAY_BANNER,
    /** The node presents a different host key: {@code hostkey_mismatch}. */
    WRONG_HOST_KEY,
    /** The node refuses our public key: {@code auth_failed}. */
    AUTH_FAILURE,
    /** The node prints a little, then drops the TCP connection: {@code unreachable}. */
    DROP_MID_COMMAND,
    /** The command runs, but the connection drops after its first 512 bytes of stdout: {@code unreachable}. */
    DROP_MID_STREAM,
    /** The command never ends: {@code timeout} in the exec phase. */
    HANG,
    /** The command writes without end: {@code bad_output} at the output cap. */
    FLOOD_OUTPUT
}
