package io.vantage.model;

/** The record key shared by every event topic: site and visitor, so a visitor's events stay on one partition. */
public final class EventKeys {
    private EventKeys() {
    }

    public static String of(String site, String visitorId) {
        return site + '\u0000' + visitorId;
    }
}
