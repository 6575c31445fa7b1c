package io.popfleet.alerts;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.security.Roles;

@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts", description = "Node down, reputation drop, stale backup, version behind")
@RolesAllowed(Roles.VIEWER)
public class AlertResource {

    @Inject
    AlertService alerts;

    @GET
    @Operation(summary = "Open alerts (open=true, the default) or the most recent ones, open or resolved")
    public List<AlertView> list(@QueryParam("open") @DefaultValue("true") boolean open) {
        return open ? alerts.open() : alerts.recent(500);
    }
}
