package io.popfleet.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Records a request turned away by the cross-site rules or the CSRF check: who, from where, what and why. */
@ApplicationScoped
public class RefusalAudit {

    public static final String ACTION = "http.refused";

    @Inject
    AuditLog audit;

    /** Blocking: call on a worker thread. Its own transaction, since nothing else happens for this request. */
    public void record(String actor, Refusal refusal, RequestFacts request, String address) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("code", refusal.code());
        details.put("status", refusal.status());
        details.put("reason", refusal.reason());
        details.put("address", address);
        details.put("host", request.host() == null ? null : CrossSiteRules.printable(request.host()));
        details.put("origin", request.origin() == null ? null : CrossSiteRules.printable(request.origin()));
        details.put("fetchSite", request.fetchSite());
        details.put("contentType", request.contentType());
        audit.recordAlone(actor, ACTION, request.method() + " " + CrossSiteRules.printable(request.path()),
                AuditLog.REFUSED, details);
    }
}
