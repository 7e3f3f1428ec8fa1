package io.vantage.processor.rollup;

/**
 * The dimensions rollups are kept by. {@link #ALL} holds the totals; the others name the
 * dimension of metrics.md they answer.
 */
public enum Dimension {
    ALL("all"),
    PAGE("event:page"),
    EVENT_TYPE("event:type");

    private final String apiName;

    Dimension(String apiName) {
        this.apiName = apiName;
    }

    /** The name used in queries and in the rollup key. */
    public String apiName() {
        return apiName;
    }

    public static java.util.Optional<Dimension> ofApiName(String name) {
        for (Dimension d : values()) {
            if (d.apiName.equals(name) && d != ALL) {
                return java.util.Optional.of(d);
            }
        }
        return java.util.Optional.empty();
    }
}
