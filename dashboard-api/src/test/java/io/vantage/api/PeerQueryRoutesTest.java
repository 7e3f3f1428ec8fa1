package io.vantage.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vantage.http.ApiException;
import org.junit.jupiter.api.Test;

/** Plausible's v1 filter strings as v2 filters. */
class PeerQueryRoutesTest {
    @Test
    void operatorsValuesAndSeveralFilters() {
        assertThat(PeerQueryRoutes.v1Filters("event:page==/a|/b;visit:source!=Google").toString())
                .isEqualTo("[[\"is\",\"event:page\",[\"/a\",\"/b\"]],[\"is_not\",\"visit:source\",[\"Google\"]]]");
        assertThat(PeerQueryRoutes.v1Filters("visit:referrer~news;event:page!~/admin").toString())
                .isEqualTo("[[\"contains\",\"visit:referrer\",[\"news\"]],[\"contains_not\",\"event:page\",[\"/admin\"]]]");
    }

    @Test
    void theFirstOperatorSplitsAndWhatFollowsIsTheValue() {
        assertThat(PeerQueryRoutes.v1Filters("event:page~/x==y").toString()).isEqualTo("[[\"contains\",\"event:page\",[\"/x==y\"]]]");
    }

    @Test
    void wildcardsAreRegularExpressionsAsPlausibleMeansThem() {
        String blog = PeerQueryRoutes.v1Filters("event:page==/blog/*").get(0).get(2).get(0).asText();
        assertThat(PeerQueryRoutes.v1Filters("event:page==/blog/*").get(0).get(0).asText()).isEqualTo("matches");
        assertThat("/blog/post").matches(blog);
        assertThat("/blog/a/b").doesNotMatch(blog);
        String deep = PeerQueryRoutes.v1Filters("event:page!=/blog/**").get(0).get(2).get(0).asText();
        assertThat(PeerQueryRoutes.v1Filters("event:page!=/blog/**").get(0).get(0).asText()).isEqualTo("matches_not");
        assertThat("/blog/a/b").matches(deep);
        assertThat("/blogs").doesNotMatch(deep);
    }

    @Test
    void aPartWithoutDimensionOrOperatorIsRefusedNamingFilters() {
        for (String bad : new String[] {"==x", "event:page", ""}) {
            assertThatThrownBy(() -> PeerQueryRoutes.v1Filters(bad)).as(bad).isInstanceOf(ApiException.class)
                    .hasMessageContaining("is not DIMENSION==VALUE");
        }
    }
}
