package io.popfleet.runs;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.popfleet.api.FailureKind;

/** Stores failure kinds as their stable codes, the words the API and the metrics show. */
@Converter
public class FailureKindConverter implements AttributeConverter<FailureKind, String> {
    @Override
    public String convertToDatabaseColumn(FailureKind kind) {
        return kind == null ? null : kind.code();
    }

    @Override
    public FailureKind convertToEntityAttribute(String code) {
        return code == null ? null : FailureKind.fromCode(code);
    }
}
