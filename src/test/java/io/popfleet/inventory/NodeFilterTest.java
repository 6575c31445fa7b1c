package io.popfleet.inventory;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The predicate's shape; what it selects is checked against PostgreSQL in {@code SearchThenRunTest}. */
class NodeFilterTest {

    @Test
    void freeTextIsBoundAsALiteralPatternNeverWrittenIntoTheSql() {
        NodeFilter.Predicate predicate = new NodeFilter(null, null, " 50%_off\\ ", null, null).predicate();

        assertThat(predicate.sql()).doesNotContain("50").contains("n.region").contains("n.notes");
        assertThat(predicate.params()).containsEntry("q", "%50\\%\\_off\\\\%");
    }

    @Test
    void aBlankNodeNameNarrowsToNoNodeRatherThanWideningToTheFleet() {
        NodeFilter.Predicate predicate = new NodeFilter(null, null, null, List.of(""), true).predicate();

        assertThat(predicate.sql()).contains("n.name in (:names)");
        assertThat(predicate.params()).containsEntry("names", List.of(""));
    }

    @Test
    void everyTagMustMatchEachWithItsOwnParameters() {
        NodeFilter.Predicate predicate = new NodeFilter(null, List.of("canary", "provider=ovh"), null, null, null)
                .predicate();

        assertThat(predicate.params()).containsEntry("tagKey0", "canary").containsEntry("tagKey1", "provider")
                .containsEntry("tagValue1", "ovh").doesNotContainKey("tagValue0").doesNotContainKey("enabled");
    }
}
