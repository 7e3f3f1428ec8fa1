package io.vantage.api;

import java.util.Arrays;
import java.util.Optional;

/** The {@code time:*} dimensions. Buckets and labels are computed in the site's time zone by {@link Buckets}. */
public enum TimeGrouping {
    MINUTE("time:minute"),
    HOUR("time:hour"),
    DAY("time:day"),
    WEEK("time:week"),
    MONTH("time:month"),
    HOUR_OF_DAY("time:hour_of_day");

    private final String apiName;

    TimeGrouping(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<TimeGrouping> ofApiName(String name) {
        return Arrays.stream(values()).filter(t -> t.apiName.equals(name)).findFirst();
    }
}
