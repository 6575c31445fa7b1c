package io.popfleet.runs;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.popfleet.api.FailureKind;

import static org.assertj.core.api.Assertions.assertThat;

class FailureKindTest {

    @Test
    void theCodesAreTheStoredAndDocumentedWords() {
        // Rows already stored and clients of the API match on these words: renaming one needs a migration.
        assertThat(EnumSet.allOf(FailureKind.class)).extracting(FailureKind::code).containsExactly("unreachable",
                "auth_failed", "hostkey_mismatch", "timeout", "nonzero_exit", "bad_output", "cancelled", "not_found",
                "no_tool", "tool_missing", "not_allowed", "internal", "orphaned");
    }

    @ParameterizedTest
    @EnumSource(FailureKind.class)
    void everyKindRoundTripsThroughTheColumnConverter(FailureKind kind) {
        FailureKindConverter converter = new FailureKindConverter();
        assertThat(converter.convertToDatabaseColumn(kind)).isEqualTo(kind.code());
        assertThat(converter.convertToEntityAttribute(kind.code())).isEqualTo(kind);
    }

    @Test
    void onlyConnectionTroubleIsWorthRetryingARead() {
        assertThat(EnumSet.allOf(FailureKind.class)).filteredOn(FailureKind::retryable)
                .containsExactlyInAnyOrder(FailureKind.UNREACHABLE, FailureKind.TIMEOUT);
    }
}
