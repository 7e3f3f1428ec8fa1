package io.vantage.launcher;

import io.vantage.model.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates every topic of the catalogue before anything starts (a missing sink topic stalls Kafka
 * Streams silently), and reports the partition count the event topics really have.
 */
public final class KafkaTopics {
    private KafkaTopics() {
    }

    /**
     * The event topics' descriptions. Just after they were created the broker may not know them
     * yet (KRaft propagates metadata asynchronously: "does not host this topic-partition"), so an
     * unknown topic is asked again for up to 30 s.
     */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    public static int ensure(Admin admin, int partitions) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            // A topic added in a later version (the erasures) takes the partition count the event
            // topics already have, so the same key lands on the same partition number in both.
            int count = existing.contains(Topics.EVENTS) ? describe(admin, List.of(Topics.EVENTS)).get(Topics.EVENTS).partitions().size() : partitions;
            for (Topics.Spec spec : Topics.all(count)) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), java.util.Optional.of(spec.partitions()), java.util.Optional.empty())
                            .configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> d = describe(admin, List.of(Topics.EVENTS, Topics.IMPORTS, Topics.ERASURES));
            int events = d.get(Topics.EVENTS).partitions().size();
            for (String keyedLikeEvents : List.of(Topics.IMPORTS, Topics.ERASURES)) {
                if (d.get(keyedLikeEvents).partitions().size() != events) {
                    throw new IllegalStateException(Topics.EVENTS + " and " + keyedLikeEvents + " must have the same partition count");
                }
            }
            return events;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create Kafka topics: " + e.getMessage(), e);
        }
    }
}
