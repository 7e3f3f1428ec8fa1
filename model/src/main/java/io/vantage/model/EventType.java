package io.vantage.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The event types of metrics.md, with the role each plays in the metrics. */
public enum EventType {
    PAGEVIEW("pageview", Kind.PAGEVIEW),
    CLICK("click", Kind.INTERACTION),
    FORM_SUBMIT("form_submit", Kind.INTERACTION),
    DOWNLOAD("download", Kind.INTERACTION),
    OUTBOUND("outbound", Kind.INTERACTION),
    VIDEO_PLAY("video_play", Kind.INTERACTION),
    VIDEO_COMPLETE("video_complete", Kind.INTERACTION),
    AUDIO_PLAY("audio_play", Kind.INTERACTION),
    AUDIO_COMPLETE("audio_complete", Kind.INTERACTION),
    CUSTOM("custom", Kind.INTERACTION),
    SCROLL("scroll", Kind.PASSIVE),
    MOUSEMOVE("mousemove", Kind.PASSIVE),
    IMAGE_VIEW("image_view", Kind.PASSIVE),
    ENGAGEMENT("engagement", Kind.PASSIVE),
    IDENTIFY("identify", Kind.PROFILE);

    /** How an event type counts. */
    public enum Kind { PAGEVIEW, INTERACTION, PASSIVE, PROFILE }

    private static final Map<String, EventType> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wire, Function.identity()));

    private final String wire;
    private final Kind kind;

    EventType(String wire, Kind kind) {
        this.wire = wire;
        this.kind = kind;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code events} counts every event except {@code identify}. */
    public boolean countsAsEvent() {
        return kind != Kind.PROFILE;
    }

    public boolean isPageview() {
        return this == PAGEVIEW;
    }

    public boolean isInteraction() {
        return kind == Kind.INTERACTION;
    }

    public static Optional<EventType> fromWire(String wire) {
        return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
    }

    @JsonCreator
    static EventType parse(String wire) {
        return fromWire(wire).orElseThrow(() -> new IllegalArgumentException("unknown event type: " + wire));
    }

    /** All wire names, for error messages. */
    public static String wireNames() {
        return Arrays.stream(values()).map(EventType::wire).collect(Collectors.joining(", "));
    }
}
