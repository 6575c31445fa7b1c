package io.popfleet.testing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointsTest {

    @Test
    void endpointsListsRestResourcesAndPagesWithTheirParameters() {
        List<Endpoints.Endpoint> all = Endpoints.all();

        assertThat(all).extracting(Endpoints.Endpoint::toString)
                .contains("GET /api/v1/nodes", "POST /api/v1/runs", "GET /fleet", "POST /import/apply",
                        "POST /runs/new");
        Endpoints.Endpoint nodes = all.stream().filter(e -> e.toString().equals("GET /api/v1/nodes")).findFirst()
                .orElseThrow();
        assertThat(nodes.params()).extracting(Endpoints.Param::name).contains("group", "tag", "q", "page", "size");
        Endpoints.Endpoint apply = all.stream().filter(e -> e.toString().equals("POST /import/apply")).findFirst()
                .orElseThrow();
        assertThat(apply.params()).extracting(Endpoints.Param::in).containsOnly(Endpoints.In.FORM);
        assertThat(all).noneMatch(e -> e.path().contains("//"));
    }
}
