package io.vantage.api;

import java.util.List;
import java.util.Map;

/** The answer of {@code POST /api/v2/query}: rows of dimension values and metric values in the order asked. */
public record QueryResponse(List<Row> results, Map<String, Object> meta, Map<String, Object> query) {
    /** One result row. */
    public record Row(List<Object> dimensions, List<Number> metrics) {
    }
}
