package io.popfleet.ssh;

import java.time.Instant;

/** What the API shows of a credential: the public key line for authorized_keys, never the private key. */
public record CredentialView(String name, String keyType, String publicKey, String fingerprint, Instant createdAt,
        String createdBy) {

    static CredentialView of(SshCredential credential) {
        return new CredentialView(credential.name, credential.keyType, credential.publicKey, credential.fingerprint,
                credential.createdAt, credential.createdBy);
    }
}
