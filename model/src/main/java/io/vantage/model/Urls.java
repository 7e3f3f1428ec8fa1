package io.vantage.model;

/** URL helpers shared by the collector and the processor. */
public final class Urls {
    private Urls() {
    }

    /**
     * The path of a URL without query string or fragment, case kept: {@code https://a.com/x?q#f} → {@code /x}.
     * A URL without a path is {@code /}; a bare path is returned without its query.
     */
    public static String path(String url) {
        if (url == null || url.isEmpty()) {
            return null;
        }
        int start = 0;
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            int query = firstOf(url, scheme + 3);
            if (slash < 0 || (query >= 0 && query < slash)) {
                return "/";
            }
            start = slash;
        }
        int end = firstOf(url, start);
        String path = end < 0 ? url.substring(start) : url.substring(start, end);
        return path.isEmpty() ? "/" : path;
    }

    /** The host of an absolute URL, lower-cased, without port; {@code null} when there is none. */
    public static String host(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#:".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at >= start) {
            start = at + 1;
        }
        return end > start ? url.substring(start, end).toLowerCase(java.util.Locale.ROOT) : null;
    }

    private static int firstOf(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }
}
