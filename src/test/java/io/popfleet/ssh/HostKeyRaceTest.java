package io.popfleet.ssh;

import java.lang.reflect.Proxy;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two first connections to one node that race under TOFU, offering different keys (one of them a
 * man-in-the-middle): exactly one key is pinned and the other connection is refused as a changed key.
 */
class HostKeyRaceTest {

    private static final SshTarget NODE = new SshTarget(7, "pop-race", "127.0.0.7", 2222, "pop", "fleet", null);

    /** Lets both connections read "no pin yet" before either pins, which is the race the fix is about. */
    static final class BothSeeNoPin implements HostKeyStore {
        final InMemoryHostKeyStore delegate = new InMemoryHostKeyStore();
        private final CyclicBarrier bothRead = new CyclicBarrier(2);

        @Override
        public Optional<PublicKey> pinned(SshTarget target) {
            Optional<PublicKey> pinned = delegate.pinned(target);
            try {
                bothRead.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("the other connection never came", e);
            }
            return pinned;
        }

        @Override
        public PublicKey pinOnFirstUse(SshTarget target, PublicKey offered) {
            return delegate.pinOnFirstUse(target, offered);
        }

        @Override
        public void refused(SshTarget target, PublicKey offered, Optional<PublicKey> pinned) {
            delegate.refused(target, offered, pinned);
        }
    }

    @Test
    void twoRacingFirstConnectionsWithDifferentKeysPinOneAndRefuseTheOther() throws Exception {
        BothSeeNoPin store = new BothSeeNoPin();
        PinnedHostKeyVerifier verifier = new PinnedHostKeyVerifier(store, HostKeyPolicy.TOFU);
        PublicKey genuine = newKey();
        PublicKey intruder = newKey();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = pool.submit(() -> verifier.verifyServerKey(session(), null, genuine));
            Future<Boolean> second = pool.submit(() -> verifier.verifyServerKey(session(), null, intruder));
            List<Boolean> accepted = List.of(first.get(15, TimeUnit.SECONDS), second.get(15, TimeUnit.SECONDS));

            assertThat(accepted).containsExactlyInAnyOrder(true, false);
            assertThat(store.delegate.pinnedOnFirstUse()).hasSize(1);
            PublicKey pinned = store.delegate.pinned(NODE).orElseThrow();
            assertThat(store.delegate.refusals()).singleElement().satisfies(refusal -> {
                assertThat(refusal.offered()).isNotEqualTo(pinned);
                assertThat(refusal.pinned()).contains(pinned);
            });
        } finally {
            pool.shutdownNow();
        }
    }

    static PublicKey newKey() throws Exception {
        return KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
    }

    /** A session that only keeps attributes: all the verifier touches. */
    static ClientSession session() {
        Map<Object, Object> attributes = new ConcurrentHashMap<>();
        attributes.put(PinnedHostKeyVerifier.TARGET, NODE);
        return (ClientSession) Proxy.newProxyInstance(HostKeyRaceTest.class.getClassLoader(),
                new Class<?>[] { ClientSession.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get(args[0]);
                    case "setAttribute" -> attributes.put(args[0], args[1]);
                    case "getConnectionContext" -> null;
                    case "toString" -> "test session";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
