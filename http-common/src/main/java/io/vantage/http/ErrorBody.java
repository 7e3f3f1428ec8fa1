package io.vantage.http;

/** The contract's error shape; {@code field} names the offending input field when there is one. */
public record ErrorBody(String error, String message, String field) {
}
