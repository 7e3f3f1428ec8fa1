package io.vantage.store;

import io.vantage.model.EventType;
import java.util.Map;

/**
 * One counted event of a visit, as much of it as queries use: time, type, page path, name (custom
 * events) and properties.
 */
public record VisitEvent(long ts, EventType type, String page, String name, Map<String, String> props) {
    public VisitEvent {
        props = props == null ? Map.of() : props;
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
