package io.vantage.collector;

/** An event field failed validation; {@code field} names it as the contract spells it. */
final class InvalidEventException extends Exception {
    private final String field;

    InvalidEventException(String field, String message) {
        super(field + ": " + message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
