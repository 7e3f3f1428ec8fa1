package io.vantage.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The body of {@code POST /api/v2/query}, shaped like Plausible's Stats API v2. */
public record QueryRequest(String siteId, List<String> metrics, JsonNode dateRange, List<String> dimensions,
                           JsonNode filters, JsonNode orderBy, Pagination pagination) {
    /** {@code limit} rows from {@code offset}. */
    public record Pagination(Integer limit, Integer offset) {
    }
}
