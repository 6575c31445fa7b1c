package io.popfleet.ssh;

import java.security.PublicKey;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/** Host-key text forms: the OpenSSH line we store and the SHA256 fingerprint operators compare. */
public final class HostKeys {

    private HostKeys() {
    }

    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(KeyUtils.getDefaultFingerPrintFactory(), key);
    }

    /** {@code ssh-ed25519 AAAA...}: the form of a known_hosts or authorized_keys entry, without comment. */
    public static String openSshLine(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    public static PublicKey parse(String openSshLine) {
        try {
            return PublicKeyEntry.parsePublicKeyEntry(openSshLine.trim()).resolvePublicKey(null, null, null);
        } catch (Exception e) {
            throw new IllegalArgumentException("not an OpenSSH public key line", e);
        }
    }

    public static boolean same(PublicKey a, PublicKey b) {
        return KeyUtils.compareKeys(a, b);
    }
}
