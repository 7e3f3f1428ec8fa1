package io.vantage.processor.session;

import static io.vantage.testing.TestEvents.event;
import static io.vantage.testing.TestEvents.pageview;
import static org.assertj.core.api.Assertions.assertThat;

import io.vantage.model.EventType;
import io.vantage.model.Site;
import io.vantage.processor.enrich.EnrichedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {
    private static final Site SITE = new Site("example", "example.com", "UTC", List.of(), "rk", 30, List.of());

    private static Session of(io.vantage.model.Event.Builder b, String source, boolean conversion) {
        return Session.of(EnrichedEvent.of(b.build(), SITE).withSource(source, null), conversion);
    }

    @Test
    void mergingDoesNotDependOnArrivalOrderEvenForEventsAtTheSameMillisecond() {
        Session a = of(pageview("v", 1_000, "/a"), "Google", false);
        Session b = of(pageview("v", 1_000, "/b"), "Bing", false);
        Session c = of(event(EventType.CUSTOM, "v", 5_000).name("signup"), "Direct / None", true);

        Session abc = a.merge(b).merge(c);
        assertThat(c.merge(b).merge(a)).isEqualTo(abc);
        assertThat(b.merge(c).merge(a)).isEqualTo(abc);
        assertThat(abc.start()).isEqualTo(1_000);
        assertThat(abc.end()).isEqualTo(5_000);
        assertThat(abc.pageviews()).isEqualTo(2);
        assertThat(abc.bounce()).isFalse();
        assertThat(abc.conversionMs()).isEqualTo(4_000);
    }

    @Test
    void aGapOfExactlyTheTimeoutKeepsTheSessionAndOneMillisecondMoreDoesNot() {
        Session s = of(pageview("v", 0, "/"), "Direct / None", false);
        long gap = SITE.sessionTimeoutMs();
        assertThat(s.reaches(gap, gap)).isTrue();
        assertThat(s.reaches(gap + 1, gap)).isFalse();
        assertThat(s.reaches(-gap, gap)).isTrue();
    }
}
