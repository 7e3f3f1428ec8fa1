package io.vantage.api;

import io.vantage.http.ApiException;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.processor.rollup.Rollup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Scans rollups across the whole cluster: this instance's partitions from its local stores, the
 * others' from their peers over HTTP ({@code application.server}). A scan only counts when the
 * partitions read add up to every partition exactly once; during a rebalance it is a 503.
 */
public final class StreamsPartialSource implements PartialSource {
    public static final String SCAN_PATH = "/internal/v1/scan";
    public static final String TRAITS_PATH = "/internal/v1/traits";
    public static final String PROGRESS_PATH = "/internal/v1/progress";
    private final KafkaStreams streams;
    private final HostInfo self;
    private final int partitions;
    private final PeerClient peers;

    public StreamsPartialSource(KafkaStreams streams, HostInfo self, int partitions, PeerClient peers) {
        this.streams = streams;
        this.self = self;
        this.partitions = partitions;
        this.peers = peers;
    }

    @Override
    public Map<List<String>, Aggregate> scanAll(ScanSpec spec) {
        Map<List<String>, Aggregate> merged = new HashMap<>();
        gather(() -> scanLocal(spec), SCAN_PATH, spec, PartialResult.class, PartialResult::partitions)
                .forEach(part -> part.mergeInto(merged));
        return merged;
    }

    @Override
    public Map<List<String>, Long> traitCounts(TraitJoin join) {
        Map<List<String>, Long> merged = new HashMap<>();
        gather(() -> traitCountsLocal(join), TRAITS_PATH, join, TraitJoin.Counts.class, TraitJoin.Counts::partitions)
                .forEach(part -> part.counts().forEach(c -> merged.merge(c.key(), c.visitors(), Long::sum)));
        return merged;
    }

    /**
     * Every instance's part of a request: this one's computed here, the others' asked over HTTP.
     * The parts count only when the partitions they read add up to every partition exactly once.
     */
    private <P> List<P> gather(java.util.function.Supplier<P> local, String path, Object request, Class<P> type,
                               java.util.function.Function<P, List<Integer>> partitionsOf) {
        List<P> parts = new ArrayList<>();
        List<Integer> seen = new ArrayList<>();
        for (StreamsMetadata host : hosts()) {
            P part = self.equals(host.hostInfo()) ? local.get() : peers.post(host.hostInfo(), path, request, type);
            if (part == null) {
                throw rebalancing("instance " + host.hostInfo() + " has no stores yet");
            }
            parts.add(part);
            seen.addAll(partitionsOf.apply(part));
        }
        if (new HashSet<>(seen).size() != partitions || seen.size() != partitions) {
            throw rebalancing("read " + seen.size() + " partitions of " + partitions);
        }
        return parts;
    }

    /** This instance's share of a trait breakdown, intersected partition by partition. */
    public TraitJoin.Counts traitCountsLocal(TraitJoin join) {
        try {
            List<Integer> mine = localPartitions();
            Map<List<String>, Long> sum = new HashMap<>();
            for (int p : mine) {
                ReadOnlyKeyValueStore<String, Rollup> store = streams.store(StoreQueryParameters
                        .fromNameAndType(Stores.ROLLUPS, QueryableStoreTypes.<String, Rollup>keyValueStore()).withPartition(p));
                join.count(RollupScanner.scan(store, join.visitors()), RollupScanner.scan(store, join.traits()))
                        .forEach((k, v) -> sum.merge(k, v, Long::sum));
            }
            if (!mine.equals(localPartitions())) {
                throw rebalancing("partitions moved while reading");
            }
            List<TraitJoin.Count> counts = new ArrayList<>();
            sum.forEach((k, v) -> counts.add(new TraitJoin.Count(k, v)));
            return new TraitJoin.Counts(mine, counts);
        } catch (InvalidStateStoreException e) {
            throw rebalancing(e.getMessage());
        }
    }

    /**
     * The highest event time processed per input partition, gathered from every instance (an
     * instance that does not answer is left out: the figure is informative, the lag is not).
     */
    public Map<String, Long> eventTimes(ProgressTracker local) {
        Map<String, Long> merged = new HashMap<>(local.eventTimes());
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return merged;
        }
        for (StreamsMetadata host : streams.metadataForAllStreamsClients()) {
            if (self.equals(host.hostInfo())) {
                continue;
            }
            try {
                Map<?, ?> theirs = peers.get(host.hostInfo(), PROGRESS_PATH, Map.class);
                if (theirs != null) {
                    theirs.forEach((k, v) -> merged.merge(String.valueOf(k), ((Number) v).longValue(), Math::max));
                }
            } catch (ApiException e) {
                // left out, see above
            }
        }
        return merged;
    }

    /** This instance's share: its active partitions at the time of reading. */
    public PartialResult scanLocal(ScanSpec spec) {
        try {
            List<Integer> mine = localPartitions();
            ReadOnlyKeyValueStore<String, Rollup> store = streams.store(
                    StoreQueryParameters.fromNameAndType(Stores.ROLLUPS, QueryableStoreTypes.keyValueStore()));
            Map<List<String>, Aggregate> groups = RollupScanner.scan(store, spec);
            if (!mine.equals(localPartitions())) {
                throw rebalancing("partitions moved while reading");
            }
            return PartialResult.of(mine, groups);
        } catch (InvalidStateStoreException e) {
            throw rebalancing(e.getMessage());
        }
    }

    private List<StreamsMetadata> hosts() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw rebalancing("the processor is " + streams.state());
        }
        List<StreamsMetadata> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (m.stateStoreNames().contains(Stores.ROLLUPS)) {
                hosts.add(m);
            }
        }
        return hosts;
    }

    private List<Integer> localPartitions() {
        List<Integer> out = new ArrayList<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task ->
                task.topicPartitions().forEach(tp -> {
                    if (tp.topic().equals(Topics.EVENTS)) {
                        out.add(tp.partition());
                    }
                })));
        out.sort(Integer::compare);
        return out;
    }

    static ApiException rebalancing(String why) {
        return new ApiException(503, "rebalancing", "the stores are moving between instances (" + why + "); retry shortly", null);
    }
}
