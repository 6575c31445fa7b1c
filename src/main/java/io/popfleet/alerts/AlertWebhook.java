package io.popfleet.alerts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
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

    void send(String event, AlertView alert) {
        if (config.webhookUrl().isEmpty()) {
            return;
        }
        String error = null;
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schema", "popfleet.alert/v1");
            body.put("event", event);
            body.put("alert", alert);
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(config.webhookUrl().get()))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                error = "webhook answered " + response.statusCode();
            }
        } catch (JsonProcessingException e) {
            error = "cannot write the alert as JSON";
        } catch (java.io.IOException e) {
            error = "webhook unreachable: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (IllegalArgumentException e) {
            error = "webhook URL is not valid";
        }
        if (error != null) {
            LOG.warnf("alert %d (%s) not delivered: %s", alert.id(), event, error);
        }
        markNotified(alert.id(), error);
    }

    @Transactional
    void markNotified(long id, String error) {
        em.createNativeQuery("update alert set notified_at = now(), notify_error = :error where id = :id")
                .setParameter("id", id).setParameter("error",
                        new org.hibernate.query.TypedParameterValue<>(org.hibernate.type.StandardBasicTypes.STRING,
                                error)).executeUpdate();
    }
}
