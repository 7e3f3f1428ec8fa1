package io.vantage.api;

import io.vantage.processor.rollup.Rollup;
import io.vantage.processor.rollup.RollupKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Runs a {@link ScanSpec} over one rollup store (all local partitions): one range scan, grouped. */
public final class RollupScanner {
    private RollupScanner() {
    }

    public static Map<List<String>, Aggregate> scan(ReadOnlyKeyValueStore<String, Rollup> store, ScanSpec spec) {
        Map<List<String>, Aggregate> groups = new HashMap<>();
        String from = RollupKey.bound(spec.site(), spec.dimension(), spec.granularity(), spec.fromBucket());
        String to = RollupKey.bound(spec.site(), spec.dimension(), spec.granularity(), spec.toBucket());
        List<TimeGrouping> times = new ArrayList<>();
        for (String k : spec.groupKeys()) {
            times.add(ScanSpec.VALUE.equals(k) ? null : TimeGrouping.ofApiName(k).orElseThrow());
        }
        try (KeyValueIterator<String, Rollup> it = store.range(from, to)) {
            while (it.hasNext()) {
                KeyValue<String, Rollup> kv = it.next();
                RollupKey key = RollupKey.decode(kv.key);
                String prefix = spec.valuePrefix() == null ? "" : spec.valuePrefix();
                if (key.bucket() >= spec.toBucket() || !key.value().startsWith(prefix)) {
                    continue;
                }
                String value = key.value().substring(prefix.length());
                if (!spec.filters().stream().allMatch(f -> f.matches(value))) {
                    continue;
                }
                List<String> group = new ArrayList<>(times.size());
                for (TimeGrouping t : times) {
                    group.add(t == null ? value : t.label(key.bucket()));
                }
                groups.computeIfAbsent(group, g -> new Aggregate()).add(kv.value, spec.withVisitors());
            }
        }
        return groups;
    }
}
