package io.vantage.profiler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The profiles a task's profiler wrote last, decoded: the upstream processor reads a visitor's
 * profile for every event, and a busy visitor's profile would otherwise be looked up in the
 * store's cache and decoded again each time. Only {@link ProfileProcessor} fills it, with what it
 * writes (and removes what it deletes), so an entry is always the stored profile; a profile not
 * here is read from the store. One per task and life of the task: a revived task starts a new one,
 * since its store may have been rolled back. Not thread-safe: a task runs on one thread.
 */
public final class RecentProfiles {
    private final Map<String, VisitorProfile> profiles;

    /** Keeps at most {@code capacity} profiles, the least recently used leaving first. */
    public RecentProfiles(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.profiles = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VisitorProfile> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The profile last written under {@code key}, or null when it is not kept here (read the store). */
    public VisitorProfile get(String key) {
        return profiles.get(key);
    }

    void written(String key, VisitorProfile profile) {
        profiles.put(key, profile);
    }

    void deleted(String key) {
        profiles.remove(key);
    }

    int size() {
        return profiles.size();
    }
}
