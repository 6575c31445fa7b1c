package io.popfleet.ssh;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/** Host-key pins: list them, approve a key a node offered, re-pin explicitly, import known_hosts. All audited. */
@Path("/api/v1/ssh/host-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class HostKeyResource {

    public record ApproveRequest(String fingerprint) {
    }

    public record RepinRequest(String fingerprint, String reason) {
    }

    @Inject
    Caller caller;

    @Inject
    HostKeyService hostKeys;

    @GET
    public Page<HostKeyPinView> pins(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        return Page.of(hostKeys.pins(paging), paging, hostKeys.pinCount());
    }

    /** Keys offered and refused: what an operator can approve or re-pin to. */
    @GET
    @Path("sightings")
    public Page<HostKeySightingView> sightings(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        return Page.of(hostKeys.sightings(paging), paging, hostKeys.sightingCount());
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{nodeId}/approve")
    public HostKeyPinView approve(@PathParam("nodeId") long nodeId, ApproveRequest request) {
        return hostKeys.approve(nodeId, request == null ? null : request.fingerprint(), caller.name());
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{nodeId}/repin")
    public HostKeyPinView repin(@PathParam("nodeId") long nodeId, RepinRequest request) {
        return hostKeys.repin(nodeId, request == null ? null : request.fingerprint(),
                request == null ? null : request.reason(), caller.name());
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("import")
    @Consumes(MediaType.TEXT_PLAIN)
    public KnownHostsImport importKnownHosts(String knownHosts) {
        return hostKeys.importKnownHosts(knownHosts, caller.name());
    }
}
