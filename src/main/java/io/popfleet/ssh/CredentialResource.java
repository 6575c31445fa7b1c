package io.popfleet.ssh;

import java.net.URI;

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
import jakarta.ws.rs.core.Response;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/** SSH credentials: generate or import; the answer shows the public key line, never the private key. */
@Path("/api/v1/ssh/credentials")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class CredentialResource {

    public record GenerateRequest(String name) {
    }

    /** {@code passphrase} is used once to read the key and is not stored. */
    public record ImportRequest(String name, String privateKey, String passphrase) {
    }

    @Inject
    Caller caller;

    @Inject
    CredentialService credentials;

    @GET
    public Page<CredentialView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        return Page.of(credentials.list(paging.page(), paging.size()), paging, credentials.count());
    }

    @GET
    @Path("{name}")
    public CredentialView get(@PathParam("name") String name) {
        return credentials.find(name)
                .orElseThrow(() -> new NotFoundProblem("credential", name));
    }

    @POST
    @Path("generate")
    public Response generate(GenerateRequest request) {
        CredentialView created = credentials.generateEd25519(request == null ? null : request.name(), caller.name());
        return Response.created(URI.create("/api/v1/ssh/credentials/" + created.name())).entity(created).build();
    }

    @POST
    @Path("import")
    public Response importKey(ImportRequest request) {
        if (request == null) {
            throw new BadRequestProblem("bad-private-key", "no private key given");
        }
        CredentialView created = credentials.importPrivateKey(request.name(), request.privateKey(),
                request.passphrase(), caller.name());
        return Response.created(URI.create("/api/v1/ssh/credentials/" + created.name())).entity(created).build();
    }
}
