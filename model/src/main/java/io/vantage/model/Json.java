package io.vantage.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;

/**
 * The one JSON mapping of the project: snake_case fields, nulls left out, unknown fields ignored.
 * Blackbird generates accessors with method handles instead of reflection: events are parsed and
 * written once per beacon in the collector and once per record in the processor.
 */
public final class Json {
    /** Thread-safe once configured; shared instead of building mappers per request. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new BlackbirdModule())
            .build();

    private Json() {
    }
}
