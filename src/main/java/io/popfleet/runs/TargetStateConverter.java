package io.popfleet.runs;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores target states as the lower-case words the table's CHECK constraint lists. */
@Converter
public class TargetStateConverter implements AttributeConverter<TargetState, String> {
    @Override
    public String convertToDatabaseColumn(TargetState state) {
        return state == null ? null : state.dbValue();
    }

    @Override
    public TargetState convertToEntityAttribute(String value) {
        return value == null ? null : TargetState.fromDb(value);
    }
}
