package io.vantage.collector;

/** What the server knows of a request besides its body: receive time, client IP, User-Agent, Origin. */
public record RequestFacts(long receivedAt, String ip, String userAgent, String origin) {
}
