package io.popfleet.runs;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores run states as the lower-case words the table's CHECK constraint lists. */
@Converter
public class RunStateConverter implements AttributeConverter<RunState, String> {
    @Override
    public String convertToDatabaseColumn(RunState state) {
        return state == null ? null : state.dbValue();
    }

    @Override
    public RunState convertToEntityAttribute(String value) {
        return value == null ? null : RunState.fromDb(value);
    }
}
