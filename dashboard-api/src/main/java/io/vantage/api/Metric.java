package io.vantage.api;

import java.util.Arrays;
import java.util.Optional;

/** The metrics of metrics.md this version answers, by their API names. */
public enum Metric {
    EVENTS("events"),
    PAGEVIEWS("pageviews"),
    VISITORS("visitors");

    private final String apiName;

    Metric(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<Metric> ofApiName(String name) {
        return Arrays.stream(values()).filter(m -> m.apiName.equals(name)).findFirst();
    }

    /** The value of this metric from merged aggregates. */
    public Number of(Aggregate a) {
        return switch (this) {
            case EVENTS -> a.events();
            case PAGEVIEWS -> a.pageviews();
            case VISITORS -> a.visitors();
        };
    }
}
