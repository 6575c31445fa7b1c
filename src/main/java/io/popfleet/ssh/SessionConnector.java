package io.popfleet.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

import io.popfleet.api.FailureKind;

/**
 * Connects and authenticates one session without blocking a thread: every phase is a listener plus a timer, so a
 * thousand nodes in flight cost a thousand futures, not a thousand threads. Failures come out classified.
 */
final class SessionConnector {

    private final SshClient client;
    private final CredentialSource credentials;
    private final ScheduledExecutorService timer;
    private final AsyncLimiter connects;

    SessionConnector(SshClient client, CredentialSource credentials, ScheduledExecutorService timer, int maxConnects) {
        this.client = client;
        this.credentials = credentials;
        this.timer = timer;
        this.connects = new AsyncLimiter(maxConnects);
    }

    CompletableFuture<OpenedSession> open(SshTarget target, ExecLimits limits) {
        return open(target, target.host(), target.port(), limits);
    }

    /**
     * Connects to {@code host:port} (the node itself, or a local forward through its bastion) while verifying
     * host key and credential as {@code target}.
     */
    CompletableFuture<OpenedSession> open(SshTarget target, String host, int port, ExecLimits limits) {
        KeyPair key;
        try {
            key = credentials.keyPair(target.credentialName());
        } catch (CredentialUnavailableException e) {
            return CompletableFuture.failedFuture(new SshFailure(FailureKind.AUTH_FAILED, e.getMessage()));
        }
        return connects.acquire()
                .thenCompose(permit -> connect(target, host, port, key, limits))
                .whenComplete((session, failure) -> connects.release());
    }

    private CompletableFuture<OpenedSession> connect(SshTarget target, String host, int port, KeyPair key,
            ExecLimits limits) {
        CompletableFuture<OpenedSession> result = new CompletableFuture<>();
        long start = System.nanoTime();
        ConnectFuture connecting;
        try {
            connecting = client.connect(target.user(), host, port,
                    AttributeRepository.ofKeyValuePair(PinnedHostKeyVerifier.TARGET, target), null);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(classifyConnect(e));
        }
        ScheduledFuture<?> timeout = schedule(limits.connectTimeout(), () -> {
            if (result.completeExceptionally(new SshFailure(FailureKind.TIMEOUT,
                    "connect timed out after " + limits.connectTimeout().toMillis() + " ms"))) {
                connecting.cancel();
            }
        });
        connecting.addListener(done -> {
            timeout.cancel(false);
            if (!done.isConnected()) {
                result.completeExceptionally(classifyConnect(done.getException()));
                return;
            }
            ClientSession session = done.getClientSession();
            if (result.isDone()) {
                session.close(true);
                return;
            }
            session.setAttribute(PinnedHostKeyVerifier.TARGET, target);
            authenticate(session, key, limits, start, System.nanoTime(), result);
        });
        return result;
    }

    private void authenticate(ClientSession session, KeyPair key, ExecLimits limits, long start, long connected,
            CompletableFuture<OpenedSession> result) {
        ScheduledFuture<?> timeout = schedule(limits.authTimeout(), () -> {
            if (result.completeExceptionally(new SshFailure(FailureKind.TIMEOUT,
                    "key exchange and authentication timed out after " + limits.authTimeout().toMillis() + " ms"))) {
                session.close(true);
            }
        });
        try {
            session.addPublicKeyIdentity(key);
            session.auth().addListener(done -> {
                timeout.cancel(false);
                if (done.isSuccess()) {
                    long now = System.nanoTime();
                    if (!result.complete(new OpenedSession(session, Duration.ofNanos(connected - start),
                            Duration.ofNanos(now - connected)))) {
                        session.close(true);
                    }
                } else {
                    result.completeExceptionally(classifyAuth(session, done.getException()));
                    session.close(true);
                }
            });
        } catch (IOException | RuntimeException e) {
            timeout.cancel(false);
            result.completeExceptionally(classifyAuth(session, e));
            session.close(true);
        }
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable action) {
        return timer.schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    static SshFailure classifyConnect(Throwable error) {
        Throwable cause = rootCause(error);
        if (cause instanceof SocketTimeoutException) {
            return new SshFailure(FailureKind.TIMEOUT, "connect timed out");
        }
        if (cause instanceof ConnectException) {
            return new SshFailure(FailureKind.UNREACHABLE, "connection refused");
        }
        if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
            return new SshFailure(FailureKind.UNREACHABLE, "unknown host");
        }
        if (cause instanceof NoRouteToHostException) {
            return new SshFailure(FailureKind.UNREACHABLE, "no route to host");
        }
        return new SshFailure(FailureKind.UNREACHABLE, "cannot connect: " + describe(cause));
    }

    static SshFailure classifyAuth(ClientSession session, Throwable error) {
        String refusal = session.getAttribute(PinnedHostKeyVerifier.REFUSAL);
        if (PinnedHostKeyVerifier.STORE_UNAVAILABLE.equals(refusal)) {
            // never a host-key alarm for a database blip: nothing is known about the node's key
            return new SshFailure(FailureKind.INTERNAL, "the controller could not read its host-key pins (was its"
                    + " database reachable?); the node's key was not judged");
        }
        if (refusal != null) {
            return new SshFailure(FailureKind.HOSTKEY_MISMATCH, refusal);
        }
        String message = error == null ? "" : String.valueOf(rootCause(error).getMessage());
        if (message.contains("No more authentication methods")) {
            return new SshFailure(FailureKind.AUTH_FAILED, "public key refused by the server");
        }
        return new SshFailure(FailureKind.UNREACHABLE,
                "connection closed before authentication completed: " + describe(rootCause(error)));
    }

    static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A short, stable description: never a stack trace, never a Java class name alone. */
    static String describe(Throwable error) {
        if (error == null) {
            return "closed by peer";
        }
        return error.getMessage() == null ? "closed by peer" : error.getMessage();
    }
}
