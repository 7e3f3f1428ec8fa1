package io.vantage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vantage.model.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Generators of hostile input for property-based fuzzing of the HTTP routes: documents shaped like
 * what a route expects with fields of wrong types, overflowing numbers and times, control
 * characters, lone surrogates, injection strings, deep nesting and huge values, then serialized
 * and sometimes truncated or corrupted into invalid UTF-8.
 */
public final class HostileInputs {
    /** Strings that broke parsers, stores, renderers or time arithmetic somewhere. */
    public static final List<String> NASTY = List.of(
            "", " ", "\u0000", "\u0000\u0001\u001f\u007f", "\uD800", "\uDFFF\uD800", "\uFEFF", "\u202E", "\r\n\r\n",
            "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "'; DROP TABLE sites; --", "${jndi:ldap://x/a}",
            "../../../../etc/passwd", "%00%0d%0a", "%", "%%", "\\", "\"", "{{7*7}}", "(a+)+$", "((((((((((a*)*)*)*)*)*)*)*)*)*)*b",
            "+300000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
            "2024-02-30", "2024-13-01", "1e309", "-1e309", "NaN", "Infinity", "-0", "9".repeat(400), "0x7fffffff",
            "time:day", "event:page", "visit:source", "event:props:", "event:props:" + "p".repeat(300), "visit:nothing",
            "all", "day", "7d", "realtime", "custom", "is", "matches", "contains", "and", "or", "not",
            "x".repeat(1500), "ü".repeat(1100), "\uD83D\uDE00".repeat(300));

    private static final String MARKUP = "<>\"'&%\\/{}[]:;=?#";

    private HostileInputs() {
    }

    /**
     * Hostile bodies shaped by {@code template}, one per seed: jqwik draws the seeds and reports
     * the failing one, so every failure is reproducible; the input itself is built with a plain
     * {@link Random} (jqwik's own combinators cost milliseconds per sample at this size).
     */
    public static Arbitrary<byte[]> bodies(Map<String, Object> template) {
        return Arbitraries.longs().map(seed -> body(new Random(seed), template));
    }

    /** A document built from {@code template}, hostile in places, as JSON. */
    public static Arbitrary<JsonNode> documents(Map<String, Object> template) {
        return Arbitraries.longs().map(seed -> mutated(new Random(seed), template));
    }

    /** A JSON value of at most {@code depth} levels of nesting, mostly hostile leaves. */
    public static JsonNode value(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 11 : 9);
        return switch (kind) {
            case 0, 1 -> TextNode.valueOf(NASTY.get(r.nextInt(NASTY.size())));
            case 2 -> TextNode.valueOf(randomText(r, r.nextInt(25)));
            case 3 -> LongNode.valueOf(r.nextLong());
            case 4 -> LongNode.valueOf(new long[] {Long.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE + 1L, Long.MAX_VALUE,
                807_256_800_000L, 253_402_300_800_000L}[r.nextInt(8)]);
            case 5 -> DoubleNode.valueOf(new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 1e-320, 0.5, -0.0, Double.NaN}[r.nextInt(6)]);
            case 6 -> DecimalNode.valueOf(new BigDecimal(new String[] {"1e400", "-1e400", "123456789012345678901234567890"}[r.nextInt(3)]));
            case 7 -> NullNode.getInstance();
            case 8 -> BooleanNode.valueOf(r.nextBoolean());
            case 9 -> {
                ArrayNode a = Json.MAPPER.createArrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = Json.MAPPER.createObjectNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    o.set(NASTY.get(r.nextInt(NASTY.size())), value(r, depth - 1));
                }
                yield o;
            }
        };
    }

    /** Any characters: control characters, lone surrogates, astral ones, markup. */
    static String randomText(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(4)) {
                case 0 -> sb.append((char) r.nextInt(0x20));
                case 1 -> sb.append((char) (0xD800 + r.nextInt(0x800)));
                case 2 -> sb.append(MARKUP.charAt(r.nextInt(MARKUP.length())));
                default -> sb.append((char) r.nextInt(0x3000));
            }
        }
        return sb.toString();
    }

    /**
     * A document built from {@code template} (the shape a route expects, with valid values): some
     * fields replaced by hostile values, some removed, some unknown ones added.
     */
    public static ObjectNode mutated(Random r, Map<String, Object> template) {
        ObjectNode o = Json.MAPPER.valueToTree(template);
        for (String field : new ArrayList<>(template.keySet())) {
            int roll = r.nextInt(10);
            if (roll < 3) {
                o.set(field, value(r, 2));
            } else if (roll == 3) {
                o.remove(field);
            }
        }
        for (int i = r.nextInt(3); i > 0; i--) {
            o.set(NASTY.get(r.nextInt(NASTY.size())), value(r, 1));
        }
        return o;
    }

    /** Bytes of a body: mostly the document's JSON, sometimes batched, truncated, deeply nested, corrupted or noise. */
    public static byte[] body(Random r, Map<String, Object> template) {
        int kind = r.nextInt(18);
        if (kind < 10) {
            return json(mutated(r, template));
        }
        if (kind < 12) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (int i = r.nextInt(9); i > 0; i--) {
                a.add(mutated(r, template));
            }
            return json(a);
        }
        if (kind < 14) {
            byte[] b = json(mutated(r, template));
            return java.util.Arrays.copyOf(b, Math.min(b.length, r.nextInt(1000)));
        }
        if (kind < 16) {
            byte[] b = json(mutated(r, template));
            byte[] bad = {(byte) 0xC3, (byte) 0xFF, (byte) 0x80, (byte) 0xED, 0};
            for (int i = 1 + r.nextInt(3); i > 0 && b.length > 0; i--) {
                b[r.nextInt(b.length)] = bad[r.nextInt(bad.length)];
            }
            return b;
        }
        if (kind == 16) {
            int n = 500 + r.nextInt(2500);
            return ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.UTF_8);
        }
        byte[] noise = new byte[r.nextInt(300)];
        r.nextBytes(noise);
        return noise;
    }

    private static byte[] json(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
