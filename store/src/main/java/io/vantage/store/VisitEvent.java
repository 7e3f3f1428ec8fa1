package io.vantage.store;

import io.vantage.model.Event;
import io.vantage.model.EventType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.datasketches.hash.MurmurHash3;

/**
 * One counted event of a visit, as much of it as queries use: time, type, page path, name (custom
 * events) and properties; and its id, by which a repeat of it is recognized.
 *
 * @param id the 64-bit hash of the client's {@code event_id} ({@link #idOf}); 0 when there is none
 *           to find a repeat by (an id the collector made up, or an event stored before visits kept
 *           their ids)
 */
public record VisitEvent(long ts, EventType type, String page, String name, Map<String, String> props, long id) {
    private static final long SEED = 1_730_000_017L;

    public VisitEvent {
        props = props == null ? Map.of() : props;
    }

    /** An event without an id to recognize a repeat by. */
    public VisitEvent(long ts, EventType type, String page, String name, Map<String, String> props) {
        this(ts, type, page, name, props, 0);
    }

    /**
     * The id a repeat of {@code event} is recognized by: a hash of its {@code event_id}, never 0; or
     * 0 when the collector made the id up, since such an event cannot be a repeat. Two ids of one
     * visit share a hash with probability about n²/2⁶⁵.
     */
    public static long idOf(Event event) {
        if (event.eventId() == null || event.generatedId()) {
            return 0;
        }
        long h = MurmurHash3.hash(event.eventId().getBytes(StandardCharsets.UTF_8), SEED)[0];
        return h == 0 ? 1 : h;
    }

    /** metrics.md: a form submission, or a custom event named as one of the site's goals. */
    public boolean isConversion(java.util.List<String> goals) {
        return type == EventType.FORM_SUBMIT || (type == EventType.CUSTOM && name != null && goals.contains(name));
    }

    /** The {@code event:goal} value: the goal this event reached, {@code form_submit} for a form, else null. */
    public String goal(java.util.List<String> goals) {
        if (type == EventType.FORM_SUBMIT) {
            return EventType.FORM_SUBMIT.wire();
        }
        return type == EventType.CUSTOM && name != null && goals.contains(name) ? name : null;
    }
}
