package io.popfleet.api;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The JSON half of {@link InputBoundary}: every string value and map key a request body carries is refused when it
 * holds U+0000, before a DTO is built, so no endpoint has to remember the check.
 */
@Singleton
public class NulRefusingJson implements ObjectMapperCustomizer {

    /** A JSON string with a NUL: reported as {@link InputBoundary#PROBLEM_CODE}, not as malformed JSON. */
    public static final class NulInJson extends JsonMappingException {
        NulInJson(JsonParser parser) {
            super(parser, "a string contains a NUL character (U+0000)");
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("popfleet-refuse-nul");
        module.addDeserializer(String.class, new Strings());
        module.addKeyDeserializer(String.class, new KeyDeserializer() {
            @Override
            public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
                return checked(key, ctxt.getParser());
            }
        });
        mapper.registerModule(module);
    }

    private static String checked(String value, JsonParser parser) throws NulInJson {
        if (!InputBoundary.storable(value)) {
            throw new NulInJson(parser);
        }
        return value;
    }

    private static final class Strings extends StdScalarDeserializer<String> {
        Strings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
            return checked(StringDeserializer.instance.deserialize(parser, ctxt), parser);
        }
    }
}
