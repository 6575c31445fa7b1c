package io.popfleet.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * POSTs each alert change as JSON ({@code {"schema":"popfleet.alert/v1","event":"opened"|"resolved","alert":…}})
 * to {@code popfleet.alerts.webhook-url}, with a short timeout; the outcome is kept on the alert row.
 */
@ApplicationScoped
public class AlertWebhook {

    private static final Logger LOG = Logger.getLogger(AlertWebhook.class);

    @Inject
    AlertsConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    EntityManager em;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One alert change to deliver: {@code event} is "opened" or "resolved". */
    record Notice(String event, AlertView alert) {
    }

    /**
     * Delivers each notice in order. Once the receiver is unreachable or too slow, the rest of this batch is not
     * tried (each is marked so on its row): a fleet of 500 that opens 500 alerts at once against a receiver that is
     * down would otherwise hold the alert evaluation for 500 timeouts.
     */
    void sendAll(List<Notice> notices) {
        config.webhookUrl().ifPresent(url -> sendAll(notices, url));
    }

    void sendAll(List<Notice> notices, String url) {
        String unreachable = null;
        for (Notice notice : notices) {
            if (unreachable != null) {
                markNotified(notice.alert().id(), "not sent: " + unreachable + " for an earlier alert of this batch");
                continue;
            }
            Outcome outcome = send(notice, url);
            if (outcome.error() != null) {
                LOG.warnf("alert %d (%s) not delivered: %s", notice.alert().id(), notice.event(), outcome.error());
            }
            markNotified(notice.alert().id(), outcome.error());
            if (outcome.unreachable()) {
                unreachable = outcome.error();
                LOG.warnf("webhook unreachable: the batch's other alerts are not sent");
            }
        }
    }

    private record Outcome(String error, boolean unreachable) {
    }

    private Outcome send(Notice notice, String url) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schema", "popfleet.alert/v1");
            body.put("event", notice.event());
            body.put("alert", notice.alert());
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
            return new Outcome(response.statusCode() >= 300 ? "webhook answered " + response.statusCode() : null,
                    false);
        } catch (JsonProcessingException e) {
            return new Outcome("cannot write the alert as JSON", false);
        } catch (java.io.IOException e) {
            return new Outcome("webhook unreachable: " + e.getClass().getSimpleName(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome("interrupted", true);
        } catch (IllegalArgumentException e) {
            return new Outcome("webhook URL is not valid", true);
        }
    }

    @Transactional
    void markNotified(long id, String error) {
        em.createNativeQuery("update alert set notified_at = now(), notify_error = :error where id = :id")
                .setParameter("id", id).setParameter("error",
                        new org.hibernate.query.TypedParameterValue<>(org.hibernate.type.StandardBasicTypes.STRING,
                                error)).executeUpdate();
    }
}
