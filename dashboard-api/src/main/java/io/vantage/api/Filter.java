package io.vantage.api;

import java.util.List;

/** A filter of the query: {@code [op, dimension, [values]]}, with op {@code is}, {@code is_not} or {@code contains}. */
public record Filter(String op, String dimension, List<String> values) {
    public static final List<String> OPS = List.of("is", "is_not", "contains");

    public boolean matches(String value) {
        return switch (op) {
            case "is" -> values.contains(value);
            case "is_not" -> !values.contains(value);
            case "contains" -> value != null && values.stream().anyMatch(value::contains);
            default -> throw new IllegalStateException("unknown op " + op);
        };
    }
}
