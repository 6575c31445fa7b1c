package io.popfleet.ssh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.security.AuditLog;
import io.popfleet.security.SecretBox;
import io.popfleet.security.SecretUnreadableException;

/**
 * SSH credentials: generated here (ed25519) or imported (OpenSSH or PEM; a passphrase is used once, at import), and
 * stored sealed. Opened keys are kept in memory, as an agent would, so a fan-out does not decrypt per node.
 */
@ApplicationScoped
public class CredentialService implements CredentialSource {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    @Inject
    SecretBox secretBox;

    @Inject
    AuditLog audit;

    private final Map<String, KeyPair> opened = new ConcurrentHashMap<>();

    @Transactional
    public CredentialView generateEd25519(String name, String actor) {
        try {
            return store(name, KeyUtils.generateKeyPair("ssh-ed25519", 256), actor, "generated");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ed25519 key generation unavailable", e);
        }
    }

    @Transactional
    public CredentialView importPrivateKey(String name, String privateKey, String passphrase, String actor) {
        return store(name, parse(privateKey, passphrase), actor, "imported");
    }

    public Optional<CredentialView> find(String name) {
        return SshCredential.byName(name).map(CredentialView::of);
    }

    public List<CredentialView> list(int page, int size) {
        return SshCredential.page(page, size).stream().map(CredentialView::of).toList();
    }

    public long count() {
        return SshCredential.count();
    }

    @Override
    @Transactional
    public KeyPair keyPair(String credentialName) {
        if (credentialName == null) {
            throw new CredentialUnavailableException("node has no credential");
        }
        KeyPair cached = opened.get(credentialName);
        if (cached != null) {
            return cached;
        }
        SshCredential credential = SshCredential.byName(credentialName)
                .orElseThrow(() -> new CredentialUnavailableException("unknown credential " + credentialName));
        try {
            KeyPair pair = open(secretBox, credential.name, credential.privateKeySealed);
            opened.put(credentialName, pair);
            return pair;
        } catch (SecretUnreadableException | BadRequestProblem e) {
            throw new CredentialUnavailableException("credential " + credentialName + " cannot be opened");
        }
    }

    private CredentialView store(String name, KeyPair pair, String actor, String how) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new BadRequestProblem("bad-credential-name",
                    "a credential name is 1-64 letters, digits, '.', '_' or '-'");
        }
        if (SshCredential.byName(name).isPresent()) {
            throw new ConflictProblem("credential-exists", "credential " + name + " already exists");
        }
        SshCredential credential = new SshCredential();
        credential.name = name;
        credential.keyType = KeyUtils.getKeyType(pair);
        credential.publicKey = HostKeys.openSshLine(pair.getPublic()) + " popfleet:" + name;
        credential.fingerprint = HostKeys.fingerprint(pair.getPublic());
        credential.privateKeySealed = seal(secretBox, name, pair);
        credential.createdAt = Instant.now();
        credential.createdBy = actor;
        credential.persist();
        opened.remove(name);
        audit.record(actor, "credential." + how, name, AuditLog.OK,
                Map.of("key_type", credential.keyType, "fingerprint", credential.fingerprint));
        return CredentialView.of(credential);
    }

    /** A credential's private key as stored: sealed with the master key, bound to the credential's name. */
    static byte[] seal(SecretBox box, String name, KeyPair pair) {
        return box.seal(openSshPrivateKey(pair), SshCredential.sealContext(name));
    }

    /** A stored credential's key pair, the one way the controller reads it (the restore drill reads it so too). */
    static KeyPair open(SecretBox box, String name, byte[] sealed) {
        byte[] key = box.open(sealed, SshCredential.sealContext(name));
        return parse(new String(key, StandardCharsets.UTF_8), null);
    }

    private static byte[] openSshPrivateKey(KeyPair pair) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "popfleet", null, out);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot serialize the key pair", e);
        }
        return out.toByteArray();
    }

    static KeyPair parse(String privateKey, String passphrase) {
        if (privateKey == null || privateKey.isBlank()) {
            throw new BadRequestProblem("bad-private-key", "no private key given");
        }
        FilePasswordProvider password = passphrase == null || passphrase.isEmpty() ? FilePasswordProvider.EMPTY
                : FilePasswordProvider.of(passphrase);
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("import"),
                    new ByteArrayInputStream(privateKey.getBytes(StandardCharsets.UTF_8)), password);
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new BadRequestProblem("bad-private-key", "no private key found in the text given");
            }
            return iterator.next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof BadRequestProblem request) {
                throw request;
            }
            throw new BadRequestProblem("bad-private-key",
                    "cannot read the private key: wrong or missing passphrase, or an unsupported format");
        }
    }
}
