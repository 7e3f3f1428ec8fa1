package io.vantage.profiler;

/**
 * What one event did to the visitor's visits, as the visit processor found it: {@code visitsDelta}
 * visits more (0 when it joined one, negative when it merged several), conversions likewise, and
 * the visit it is now part of.
 */
public record VisitChange(long visitsDelta, long conversionsDelta, long visitStart, long visitEnd, String firstPage, String lastPage) {
}
