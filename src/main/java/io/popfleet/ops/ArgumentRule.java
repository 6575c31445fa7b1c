package io.popfleet.ops;

import java.util.Optional;
import java.util.regex.Pattern;

import io.popfleet.inventory.importing.NodeRules;

/**
 * How one argument value is checked, with the node tool's own rules, so a bad value is refused before any SSH
 * connection. Each rule answers a problem message or nothing.
 */
public interface ArgumentRule {

    Optional<String> check(String value);

    /** What a valid value looks like, for the run form. */
    String hint();

    static ArgumentRule integer(int min, int max) {
        return rule("a whole number from " + min + " to " + max, value -> {
            if (!value.matches("[0-9]{1,9}")) {
                return false;
            }
            long number = Long.parseLong(value);
            return number >= min && number <= max;
        });
    }

    static ArgumentRule pattern(String hint, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return rule(hint, value -> pattern.matcher(value).matches());
    }

    /** {@code 30m}, {@code 2h}, {@code 7d}, or an ISO date. */
    static ArgumentRule durationOrDate() {
        return pattern("a duration like 30m, 6h, 7d or a date like 2026-11-01",
                "^([0-9]{1,6}[smhd]|[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?)$");
    }

    /** An absolute path on the node without {@code ..}, spaces or shell metacharacters. */
    static ArgumentRule nodePath() {
        return rule("an absolute path on the node (letters, digits, / . _ - only, no ..)",
                value -> value.matches("^/[A-Za-z0-9._/-]{0,4095}$") && !value.contains("/../")
                        && !value.endsWith("/..") && !value.contains("//"));
    }

    static ArgumentRule fileName() {
        return pattern("a file name (letters, digits, . _ - only)", "^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$");
    }

    static ArgumentRule url() {
        return pattern("an http:// or https:// URL without spaces or quotes",
                "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/+=&?:@-]*)?$");
    }

    static ArgumentRule sha256() {
        return pattern("64 hexadecimal characters", "^[0-9a-fA-F]{64}$");
    }

    static ArgumentRule version() {
        return pattern("a version like 0.2.9", "^[0-9]{1,4}(\\.[0-9]{1,4}){1,3}([.-][A-Za-z0-9]{1,20})?$");
    }

    static ArgumentRule wallet() {
        return rule("a Solana address (base58, 32-44 characters)", value -> NodeRules.wallet(value).isEmpty());
    }

    static ArgumentRule referralCode() {
        return pattern("a referral code: 16 lowercase hexadecimal characters", "^[0-9a-f]{16}$");
    }

    /** One {@code authorized_keys} public key line: type, base64 key, optional plain comment. */
    static ArgumentRule publicKey() {
        return pattern("a public key line: ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa AAAA... [comment]",
                "^(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa) [A-Za-z0-9+/]{40,2000}={0,3}"
                        + "( [A-Za-z0-9@._-]{1,100})?$");
    }

    static ArgumentRule keyFingerprint() {
        return pattern("a key fingerprint like SHA256:base64", "^SHA256:[A-Za-z0-9+/]{43}=?$");
    }

    /** A node setting as {@code configure} takes it. */
    static ArgumentRule setting() {
        return pattern("key=value with key ram, max_disk, cache_dir, node_name or enable_80_443",
                "^(ram=[0-9]{1,4}|max_disk=[0-9]{1,6}|cache_dir=/[A-Za-z0-9._/-]{0,4095}"
                        + "|node_name=[A-Za-z0-9._-]{1,63}|enable_80_443=(true|false))$");
    }

    private static ArgumentRule rule(String hint, java.util.function.Predicate<String> valid) {
        return new ArgumentRule() {
            @Override
            public Optional<String> check(String value) {
                return valid.test(value) ? Optional.empty() : Optional.of("must be " + hint);
            }

            @Override
            public String hint() {
                return hint;
            }
        };
    }
}
