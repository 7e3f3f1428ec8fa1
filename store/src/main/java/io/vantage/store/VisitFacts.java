package io.vantage.store;

import io.vantage.model.codec.RecordReader;
import io.vantage.model.codec.RecordWriter;

/**
 * What a visit is broken down and filtered by, taken from its first event (metrics.md): source,
 * referrer and UTM of the landing URL, country and client. Entry and exit pages are not stored:
 * they follow from the visit's events.
 */
public record VisitFacts(String source, String referrer, String utmSource, String utmMedium, String utmCampaign,
                         String country, String browser, String os, String device) {

    void writeTo(RecordWriter w) {
        w.ref(source).ref(referrer).ref(utmSource).ref(utmMedium).ref(utmCampaign).ref(country).ref(browser).ref(os).ref(device);
    }

    static VisitFacts readFrom(RecordReader r) {
        return new VisitFacts(r.ref(), r.ref(), r.ref(), r.ref(), r.ref(), r.ref(), r.ref(), r.ref(), r.ref());
    }
}
