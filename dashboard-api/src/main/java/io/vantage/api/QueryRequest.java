package io.vantage.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vantage.http.ApiException;
import io.vantage.model.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** The body of {@code POST /api/v2/query}, shaped like Plausible's Stats API v2. */
public record QueryRequest(String siteId, List<String> metrics, JsonNode dateRange, List<String> dimensions,
                           JsonNode filters, JsonNode orderBy, Pagination pagination, JsonNode include) {
    private static final Set<String> FIELDS = Set.of("site_id", "metrics", "date_range", "dimensions", "filters", "order_by",
            "pagination", "include");

    /** {@code limit} rows from {@code offset}. */
    public record Pagination(Integer limit, Integer offset) {
    }

    public QueryRequest(String siteId, List<String> metrics, JsonNode dateRange, List<String> dimensions,
                        JsonNode filters, JsonNode orderBy, Pagination pagination) {
        this(siteId, metrics, dateRange, dimensions, filters, orderBy, pagination, null);
    }

    /** A request from a JSON body; a field the contract does not know is a 400 naming it, so a typo never answers another question. */
    public static QueryRequest of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("invalid_json", "the body must be a query object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw ApiException.invalidField(f, "unknown field '" + f + "'; a query has " + FIELDS);
            }
        }
        JsonNode p = body.get("pagination");
        if (p != null && p.isObject()) {
            for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("limit") && !f.equals("offset")) {
                    throw ApiException.invalidField("pagination." + f, "unknown field; pagination has limit and offset");
                }
            }
        }
        try {
            return Json.MAPPER.treeToValue(body, QueryRequest.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_json", "the query does not have the contract's shape: " + e.getMessage());
        }
    }
}
