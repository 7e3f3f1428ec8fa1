package io.vantage.profiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentProfilesTest {
    private static VisitorProfile profile(String visitor) {
        return VisitorProfile.empty("example", visitor);
    }

    @Test
    void keepsWhatWasWrittenForgetsWhatWasDeletedAndDropsTheLeastRecentlyUsedPastItsCapacity() {
        RecentProfiles recent = new RecentProfiles(2);
        recent.written("a", profile("a"));
        recent.written("b", profile("b"));
        assertThat(recent.get("a")).isEqualTo(profile("a"));
        // "b" is now the least recently used: a third profile pushes it out
        recent.written("c", profile("c"));
        assertThat(recent.get("b")).isNull();
        assertThat(recent.get("a")).isNotNull();
        assertThat(recent.size()).isEqualTo(2);
        recent.deleted("a");
        assertThat(recent.get("a")).isNull();
        assertThat(recent.get("c")).isEqualTo(profile("c"));
        assertThatThrownBy(() -> new RecentProfiles(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
