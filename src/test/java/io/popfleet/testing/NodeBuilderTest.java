package io.popfleet.testing;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.popfleet.inventory.NodeInput;

import static io.popfleet.testing.NodeBuilder.aNode;
import static org.assertj.core.api.Assertions.assertThat;

/** Each thing a test says about a node lands in its own field of the input. */
class NodeBuilderTest {

    @Test
    void aBareNodeIsEnabledOnPort22WithTheInventoryDefaults() {
        assertThat(aNode().build()).isEqualTo(new NodeInput("node", "127.0.0.9", 22, null, null, true, null, null, null,
                null, null, null, List.of(), List.of(), null));
    }

    @Test
    void everyPropertyLandsInItsOwnField() {
        NodeInput input = aNode().named("n1").at("10.0.0.7", 2222).loggingInAs("pop").withCredential("key")
                .disabled().inRegion("eu-west").withWallet("wallet").withNotes("notes").inGroup("g", "h")
                .withTag("eu", "tier=gold").through("bastion").build();

        assertThat(input).isEqualTo(new NodeInput("n1", "10.0.0.7", 2222, "pop", "key", false, "eu-west", "wallet",
                "notes", "bastion", null, null, List.of("g", "h"), List.of("eu", "tier=gold"), null));
    }
}
