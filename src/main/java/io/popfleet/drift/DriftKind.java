package io.popfleet.drift;

import java.util.Arrays;
import java.util.Optional;

import io.popfleet.api.BadRequestProblem;

/** The ways a node's facts can disagree, each with the code the API uses and the sentence the page shows. */
public enum DriftKind {
    WALLET_INVENTORY("wallet_inventory", "Wallet differs from the inventory"),
    WALLET_UNIT("wallet_unit", "Unit passes another wallet"),
    WALLET_PROCESS("wallet_process", "Running process has another wallet"),
    VERSION("version", "Binary is not the target version"),
    PORTS_SETTING("ports_setting", "Ports 80/443 setting differs from the fleet's"),
    PORTS_PROCESS("ports_process", "Running process has another ports 80/443 setting"),
    PORTS_CONFLICT("ports_conflict", "Port 80 or 443 held by another program");

    private final String code;
    private final String title;

    DriftKind(String code, String title) {
        this.code = code;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public static Optional<DriftKind> byCode(String code) {
        return Arrays.stream(values()).filter(kind -> kind.code.equals(code)).findFirst();
    }

    /** A {@code kind} query parameter: empty for none or blank, refused when it names no kind. */
    public static Optional<DriftKind> fromQuery(String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(byCode(code).orElseThrow(() -> new BadRequestProblem("unknown-drift-kind",
                "no drift kind '" + code + "'; one of " + Arrays.stream(values()).map(DriftKind::code).toList())));
    }
}
