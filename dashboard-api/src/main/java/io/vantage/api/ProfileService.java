package io.vantage.api;

import io.vantage.http.ApiException;
import io.vantage.model.EventKeys;
import io.vantage.model.Stores;
import io.vantage.profiler.VisitorProfile;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Looks a visitor profile up on the instance that holds the visitor's partition. */
public final class ProfileService {
    public static final String PROFILE_PATH = "/internal/v1/profile";
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

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    static ApiException notFound(String visitorId) {
        return ApiException.notFound("unknown_visitor", "no visitor '" + visitorId + "' on this site");
    }
}
