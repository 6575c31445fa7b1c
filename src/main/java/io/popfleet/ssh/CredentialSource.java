package io.popfleet.ssh;

import java.security.KeyPair;

/** Resolves a credential name to the key pair the engine authenticates with; nothing comes from ~/.ssh. */
public interface CredentialSource {

    /** @throws CredentialUnavailableException when the name is unknown or the key cannot be decrypted */
    KeyPair keyPair(String credentialName);
}
