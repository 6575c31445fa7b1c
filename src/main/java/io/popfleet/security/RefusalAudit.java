package io.popfleet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Records a request turned away by the cross-site rules or the CSRF check: who, from where, what and why. Repeats
 * of one kind beyond {@link SecurityConfig#refusalAuditPerMinute()} a minute are counted and written as one summary
 * row ({@link RefusalBudget}), so a hostile page cannot grow the audit trail without bound.
 */
@ApplicationScoped
public class RefusalAudit {

    private static final Logger LOG = Logger.getLogger(RefusalAudit.class);

    public static final String ACTION = "http.refused";
    /** Written when a window closes on refusals that were counted but not written one by one. */
    public static final String REPEATED = "http.refused.repeated";
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int MAX_KEYS = 10_000;

    @Inject
    AuditLog audit;

    @Inject
    SecurityConfig config;

    // Guarded by this.
    private RefusalBudget budget;

    @PostConstruct
    void init() {
        int perKey = config.refusalAuditPerMinute();
        budget = new RefusalBudget(perKey, perKey * 30, WINDOW, MAX_KEYS);
    }

    /** Blocking: call on a worker thread. Its own transaction, since nothing else happens for this request. */
    public void record(String actor, Refusal refusal, RequestFacts request, String address) {
        String target = request.method() + " " + CrossSiteRules.printable(request.path());
        List<RefusalBudget.Summary> closed = new ArrayList<>();
        RefusalBudget.Verdict verdict;
        synchronized (this) {
            verdict = budget.admit(address + " " + refusal.code() + " " + target, target, Instant.now(), closed);
        }
        write(closed);
        if (verdict == RefusalBudget.Verdict.COUNT) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", refusal.code());
        details.put("status", refusal.status());
        details.put("reason", refusal.reason());
        details.put("address", address);
        details.put("host", request.host() == null ? null : CrossSiteRules.printable(request.host()));
        details.put("origin", request.origin() == null ? null : CrossSiteRules.printable(request.origin()));
        details.put("fetchSite", request.fetchSite());
        details.put("contentType", request.contentType());
        audit.recordAlone(actor, ACTION, target, AuditLog.REFUSED, details);
    }

    /** Writes the counts of windows that have closed by {@code now}; the scheduler calls it every minute. */
    public void flush(Instant now) {
        List<RefusalBudget.Summary> closed;
        synchronized (this) {
            closed = budget.closeBefore(now);
        }
        write(closed);
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushClosedWindows() {
        flush(Instant.now());
    }

    /** Counts are in memory: write them before the controller stops rather than lose them. */
    @PreDestroy
    void flushAll() {
        List<RefusalBudget.Summary> closed;
        synchronized (this) {
            closed = budget.closeAll(Instant.now());
        }
        try {
            write(closed);
        } catch (RuntimeException e) {
            // The database may already be gone at shutdown; the counts are lost, the refusals were refused.
            LOG.warnf("%d repeated refusal count(s) not audited"
                    + " at shutdown: %s", closed.size(), e.getMessage());
        }
    }

    private void write(List<RefusalBudget.Summary> closed) {
        for (RefusalBudget.Summary summary : closed) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("repeated", summary.repeated());
            details.put("since", summary.since().toString());
            details.put("until", summary.until().toString());
            details.put("kind", summary.key().equals(RefusalBudget.OVERFLOW) ? "any (over the total budget)"
                    : summary.key());
            audit.recordAlone(Caller.SYSTEM, REPEATED, summary.lastTarget(), AuditLog.REFUSED, details);
        }
    }
}
