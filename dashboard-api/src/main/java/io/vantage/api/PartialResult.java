package io.vantage.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One instance's answer to a scan: the partitions it read and its grouped aggregates. */
public record PartialResult(List<Integer> partitions, List<Group> groups) {
    /** A group's partial aggregate; the sets are serialized visitor sets. */
    public record Group(List<String> key, long[] counts, byte[] visitors, byte[] starters) {
    }

    public static PartialResult of(List<Integer> partitions, Map<List<String>, Aggregate> groups) {
        List<Group> list = new ArrayList<>(groups.size());
        groups.forEach((k, a) -> list.add(new Group(k, a.counts(), a.visitors().serialized(), a.starters().serialized())));
        return new PartialResult(partitions, list);
    }

    public void mergeInto(Map<List<String>, Aggregate> target) {
        for (Group g : groups) {
            target.computeIfAbsent(g.key(), k -> new Aggregate()).add(g.counts(), g.visitors(), g.starters());
        }
    }
}
