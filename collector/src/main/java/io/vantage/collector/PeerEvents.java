package io.vantage.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vantage.model.Json;

/** What every peer's mapping onto a {@code /collect} body does alike. */
final class PeerEvents {
    private PeerEvents() {
    }

    /**
     * A body that is JSON but not of the peer's shape (GA4's {@code events} not a list, say):
     * refused whole, naming the peer's own field, rather than handed to {@code /collect}'s
     * validator, which would name a field of ours the sender never wrote.
     */
    static final class NotPeerShape extends RuntimeException {
        private final String field;

        NotPeerShape(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /**
     * The scalar values of a map as text, as Plausible keeps custom properties: lists, maps and
     * nulls are left out; anything but a map gives an empty map.
     */
    static ObjectNode scalars(JsonNode map) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (map != null && map.isObject()) {
            map.fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                    out.put(f.getKey(), f.getValue().asText());
                }
            });
        }
        return out;
    }

    /** A field's value as text (a number too); null when missing, null, empty or not a scalar. */
    static String text(JsonNode from, String field) {
        JsonNode v = from == null ? null : from.get(field);
        return v == null || !v.isValueNode() || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /** Copies a field as text under another name, when it has a value. */
    static void putText(JsonNode from, String field, ObjectNode to, String as) {
        String v = text(from, field);
        if (v != null && !v.isBlank()) {
            to.put(as, v);
        }
    }

    /** The host of a URL; null when there is none or it is not a URL. */
    static String host(String url) {
        try {
            return url == null ? null : java.net.URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
