package io.vantage.profiler;

/** A record passed on by {@link ProfileProcessor}, with the visitor's profile before and after it. */
public record Profiled<V>(V value, VisitorProfile before, VisitorProfile after) {
}
