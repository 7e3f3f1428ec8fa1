package io.vantage.api;

import io.vantage.http.ApiException;
import io.vantage.model.Stores;
import io.vantage.model.Topics;
import io.vantage.store.StoreKeys;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
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
 * Scans visits across the whole cluster: this instance's partitions from its local stores, the
 * others' from their peers over HTTP ({@code application.server}). A scan only counts when the
 * partitions read add up to every partition exactly once; during a rebalance it is a 503.
 */
public final class StreamsPartialSource implements PartialSource {
    public static final String SCAN_PATH = "/internal/v1/scan";
    public static final String FIRST_PATH = "/internal/v1/first-visit";
    public static final String PROGRESS_PATH = "/internal/v1/progress";
    public static final String COUNTED_PATH = "/internal/v1/counted";
    private final KafkaStreams streams;
    private final HostInfo self;
    private final int partitions;
    private final PeerClient peers;
    private final HourCache cache = HourCache.sizedToHeap();
    private final Summaries summaries = Summaries.sizedToHeap();

    public StreamsPartialSource(KafkaStreams streams, HostInfo self, int partitions, PeerClient peers) {
        this.streams = streams;
        this.self = self;
        this.partitions = partitions;
        this.peers = peers;
    }

    @Override
    public List<Partial> scan(ScanRequest request) {
        return gather(() -> scanLocal(request), SCAN_PATH, request.withTop(null), Partial.class, Partial::partitions);
    }

    @Override
    public long firstVisitStart(String site) {
        long first = Long.MAX_VALUE;
        for (FirstVisit f : gather(() -> firstVisitLocal(site), FIRST_PATH, Map.of("site", site), FirstVisit.class, FirstVisit::partitions)) {
            first = Math.min(first, f.start());
        }
        return first;
    }

    /** One instance's earliest visit start of a site. */
    public record FirstVisit(List<Integer> partitions, long start) {
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

    /** This instance's share of a scan: its active partitions at the time of reading, each scanned into one result. */
    public Partial scanLocal(ScanRequest request) {
        // Only an instance that reads every partition knows which rows can be shown.
        return local(partitions -> PartitionScan.scan(partitions.size() == this.partitions ? request : request.withTop(null),
                partitions.stream().map(this::stores).toList(), partitions, summaries));
    }

    /** This instance's earliest visit start of a site. */
    public FirstVisit firstVisitLocal(String site) {
        return local(partitions -> {
            long first = Long.MAX_VALUE;
            Bytes[] all = StoreKeys.visitHours(site, 0, Integer.MAX_VALUE);
            for (int p : partitions) {
                try (KeyValueIterator<Bytes, byte[]> it = stores(p).visits().range(all[0], all[1])) {
                    if (it.hasNext()) {
                        first = Math.min(first, StoreKeys.visitStart(it.next().key));
                    }
                }
            }
            return new FirstVisit(partitions, first);
        });
    }

    private <T> T local(java.util.function.Function<List<Integer>, T> read) {
        try {
            List<Integer> mine = localPartitions();
            T out = read.apply(mine);
            if (!mine.equals(localPartitions())) {
                throw rebalancing("partitions moved while reading");
            }
            return out;
        } catch (InvalidStateStoreException e) {
            throw rebalancing(e.getMessage());
        }
    }

    private PartitionStores stores(int partition) {
        return new PartitionStores(partition, store(Stores.VISITS, partition), store(Stores.VISITOR_TRAITS, partition),
                store(Stores.SITE_SPANS, partition), store(Stores.VISIT_HOURS, partition),
                store(Stores.VISIT_CHANGES, partition), cache);
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore())
                .withPartition(partition));
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

    /**
     * Events counted since start, summed over every instance: it changes whenever new numbers can
     * be queried anywhere (an instance that does not answer is left out until it does).
     */
    public long counted(ProgressTracker local) {
        long sum = local.counted();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return sum;
        }
        for (StreamsMetadata host : streams.metadataForAllStreamsClients()) {
            if (self.equals(host.hostInfo())) {
                continue;
            }
            try {
                Map<?, ?> theirs = peers.get(host.hostInfo(), COUNTED_PATH, Map.class);
                if (theirs != null && theirs.get("counted") instanceof Number n) {
                    sum += n.longValue();
                }
            } catch (ApiException e) {
                // left out, see above
            }
        }
        return sum;
    }

    private List<StreamsMetadata> hosts() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            throw rebalancing("the processor is " + streams.state());
        }
        List<StreamsMetadata> hosts = new ArrayList<>();
        for (StreamsMetadata m : streams.metadataForAllStreamsClients()) {
            if (m.stateStoreNames().contains(Stores.VISITS)) {
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
