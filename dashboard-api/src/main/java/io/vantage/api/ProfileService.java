package io.vantage.api;

import io.vantage.http.ApiException;
import io.vantage.model.EventKeys;
import io.vantage.model.Stores;
import io.vantage.profiler.VisitorProfile;
import io.vantage.store.StoreKeys;
import io.vantage.store.VisitEvent;
import io.vantage.store.VisitFacts;
import io.vantage.store.VisitRecord;
import io.vantage.store.VisitorHash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Looks a visitor's profile and visits up on the instance that holds the visitor's partition. */
public final class ProfileService {
    public static final String PROFILE_PATH = "/internal/v1/profile";
    public static final String HISTORY_PATH = "/internal/v1/visit-history";
    private final KafkaStreams streams;
    private final HostInfo self;
    private final PeerClient peers;

    public ProfileService(KafkaStreams streams, HostInfo self, PeerClient peers) {
        this.streams = streams;
        this.self = self;
        this.peers = peers;
    }

    public VisitorProfile find(String site, String visitorId) {
        String key = EventKeys.of(site, visitorId);
        KeyQueryMetadata meta = streams.queryMetadataForKey(Stores.PROFILES, key, Serdes.String().serializer());
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE) {
            throw StreamsPartialSource.rebalancing("no instance holds the profiles yet");
        }
        if (!self.equals(meta.activeHost())) {
            return peers.get(meta.activeHost(), PROFILE_PATH + "?site=" + enc(site) + "&visitor=" + enc(visitorId), VisitorProfile.class);
        }
        return findLocal(site, visitorId);
    }

    public VisitorProfile findLocal(String site, String visitorId) {
        try {
            ReadOnlyKeyValueStore<String, VisitorProfile> store = streams.store(
                    StoreQueryParameters.fromNameAndType(Stores.PROFILES, QueryableStoreTypes.keyValueStore()));
            return store.get(EventKeys.of(site, visitorId));
        } catch (InvalidStateStoreException e) {
            throw StreamsPartialSource.rebalancing(e.getMessage());
        }
    }

    /**
     * Every stored visit of the visitor with its events, oldest first, from the instance that holds
     * the visitor's partition: what an export of the visitor's data holds beside the profile.
     */
    public List<Map<String, Object>> history(String site, String visitorId) {
        String key = EventKeys.of(site, visitorId);
        KeyQueryMetadata meta = streams.queryMetadataForKey(Stores.PROFILES, key, Serdes.String().serializer());
        if (meta == null || meta == KeyQueryMetadata.NOT_AVAILABLE) {
            throw StreamsPartialSource.rebalancing("no instance holds the visits yet");
        }
        if (!self.equals(meta.activeHost())) {
            return List.of(peers.get(meta.activeHost(), HISTORY_PATH + "?site=" + enc(site) + "&visitor=" + enc(visitorId), Map[].class))
                    .stream().map(m -> (Map<String, Object>) m).toList();
        }
        return historyLocal(site, visitorId);
    }

    public List<Map<String, Object>> historyLocal(String site, String visitorId) {
        try {
            ReadOnlyKeyValueStore<Bytes, byte[]> index = streams.store(
                    StoreQueryParameters.fromNameAndType(Stores.VISITOR_SESSIONS, QueryableStoreTypes.keyValueStore()));
            ReadOnlyKeyValueStore<Bytes, byte[]> visits = streams.store(
                    StoreQueryParameters.fromNameAndType(Stores.VISITS, QueryableStoreTypes.keyValueStore()));
            long visitor = VisitorHash.of(visitorId);
            List<Map<String, Object>> out = new ArrayList<>();
            Bytes[] range = StoreKeys.visitorSessions(site, visitorId, 0, Long.MAX_VALUE);
            try (KeyValueIterator<Bytes, byte[]> it = index.range(range[0], range[1])) {
                while (it.hasNext()) {
                    Bytes key = it.next().key;
                    if (!StoreKeys.visitorSessionVisitor(site, key).equals(visitorId)) {
                        continue; // another visitor whose id starts with this one and a NUL
                    }
                    long start = StoreKeys.visitorSessionStart(key);
                    byte[] row = visits.get(StoreKeys.visit(site, start, visitor));
                    if (row != null) {
                        out.add(visitView(VisitRecord.decode(row, start)));
                    }
                }
            }
            return out;
        } catch (InvalidStateStoreException e) {
            throw StreamsPartialSource.rebalancing(e.getMessage());
        }
    }

    private static Map<String, Object> visitView(VisitRecord v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("started", Instant.ofEpochMilli(v.start()).toString());
        out.put("ended", Instant.ofEpochMilli(v.end()).toString());
        out.put("first_visit", v.firstVisit());
        VisitFacts f = v.facts();
        out.put("source", f.source());
        out.put("referrer", f.referrer());
        out.put("utm_source", f.utmSource());
        out.put("utm_medium", f.utmMedium());
        out.put("utm_campaign", f.utmCampaign());
        out.put("country", f.country());
        out.put("browser", f.browser());
        out.put("os", f.os());
        out.put("device", f.device());
        List<Map<String, Object>> events = new ArrayList<>();
        for (VisitEvent e : v.events()) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("ts", Instant.ofEpochMilli(e.ts()).toString());
            ev.put("type", e.type().wire());
            ev.put("page", e.page());
            ev.put("name", e.name());
            ev.put("props", e.props());
            events.add(ev);
        }
        out.put("events", events);
        return out;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static ApiException notFound(String visitorId) {
        return ApiException.notFound("unknown_visitor", "no visitor '" + visitorId + "' on this site");
    }
}
