package io.vantage.api;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;

/**
 * One filter of a query, {@code [op, dimension, [values]]}: the values are ORed, and a missing
 * value (no UTM, no name, no property) matches only the negated operators (metrics.md). Regular
 * expressions run on RE2/J, so matching stays linear in the input whatever the pattern.
 */
public record Filter(String op, Dimension dimension, List<String> values, boolean caseSensitive, List<Pattern> patterns) {
    public static final List<String> OPS = List.of("is", "is_not", "contains", "contains_not", "matches", "matches_not");

    public static Filter of(String op, Dimension dimension, List<String> values, boolean caseSensitive) {
        List<Pattern> patterns = List.of();
        if (op.startsWith("matches")) {
            patterns = values.stream().map(v -> Pattern.compile(v, caseSensitive ? 0 : Pattern.CASE_INSENSITIVE)).toList();
        }
        List<String> vs = caseSensitive || op.startsWith("matches") ? values : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
        return new Filter(op, dimension, vs, caseSensitive, patterns);
    }

    public boolean negated() {
        return op.endsWith("_not");
    }

    public boolean test(String value) {
        if (value == null) {
            return negated();
        }
        return positive(value) != negated();
    }

    private boolean positive(String value) {
        if (op.startsWith("matches")) {
            for (Pattern p : patterns) {
                if (p.matcher(value).find()) {
                    return true;
                }
            }
            return false;
        }
        String v = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
        if (op.startsWith("contains")) {
            for (String s : values) {
                if (v.contains(s)) {
                    return true;
                }
            }
            return false;
        }
        if (caseSensitive) {
            return values.contains(v);
        }
        for (String s : values) {
            if (s.equals(v)) {
                return true;
            }
        }
        return false;
    }
}
