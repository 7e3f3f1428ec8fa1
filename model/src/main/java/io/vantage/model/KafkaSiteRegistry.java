package io.vantage.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sites kept in the compacted {@link Topics#SITES} topic and tailed into memory, so every
 * instance (collector or processor) knows every site.
 */
public final class KafkaSiteRegistry implements SiteRegistry, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaSiteRegistry.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    private final InMemorySiteRegistry cache = new InMemorySiteRegistry();
    private final KafkaProducer<String, Site> producer;
    private final KafkaConsumer<String, Site> consumer;
    private final Thread tailer;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile String failing;

    public KafkaSiteRegistry(String bootstrap) {
        Properties p = KafkaClients.properties(bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) WRITE_TIMEOUT.toMillis() - 1000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, WRITE_TIMEOUT.toMillis());
        producer = new KafkaProducer<>(p, new StringSerializer(), Topics.SITE_SERDE.serializer());

        Properties c = KafkaClients.properties(bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), Topics.SITE_SERDE.deserializer());
        tailer = new Thread(this::tail, "site-registry");
        tailer.setDaemon(true);
    }

    /** Starts tailing and waits until every site stored so far is known. */
    public KafkaSiteRegistry start(Duration timeout) {
        tailer.start();
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("sites topic " + Topics.SITES + " not readable within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading sites", e);
        }
        return this;
    }

    private void tail() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SITES, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (running) {
                try {
                    for (ConsumerRecord<String, Site> r : consumer.poll(Duration.ofMillis(500))) {
                        cache.apply(r.key(), r.value());
                    }
                    if (loaded.getCount() > 0 && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        loaded.countDown();
                    }
                    failing = null;
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    // A corrupt record is skipped, never the end of tailing (which would freeze every site's settings).
                    LOGGER.error("skipping a corrupt record of {} at {}:{}", Topics.SITES, e.topicPartition(), e.offset(), e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Kafka unreachable or another failure: report unhealthy, keep trying.
                    failing = e.toString();
                    LOGGER.warn("site registry: {}; retrying", failing);
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failing = "stopped tailing: " + e;
            LOGGER.error("site registry stopped tailing {}", Topics.SITES, e);
        } finally {
            consumer.close();
        }
    }

    /** Null while sites are tailed, else what is wrong (for {@code /health}). */
    public String problem() {
        return failing;
    }

    @Override
    public Optional<Site> find(String id) {
        return cache.find(id);
    }

    @Override
    public List<Site> all() {
        return cache.all();
    }

    @Override
    public synchronized Site create(Site site) {
        if (cache.find(site.id()).isPresent()) {
            throw new SiteExistsException(site.id());
        }
        return write(site);
    }

    @Override
    public synchronized Site update(Site site) {
        if (cache.find(site.id()).isEmpty()) {
            throw new java.util.NoSuchElementException("no site '" + site.id() + "'");
        }
        return write(site);
    }

    private Site write(Site site) {
        try {
            producer.send(new ProducerRecord<>(Topics.SITES, site.id(), site)).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing site", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new StorageUnavailableException("could not store site in Kafka: " + e.getMessage(), e);
        }
        // Read-your-writes on this instance; the tailer applies the same record again.
        cache.apply(site.id(), site);
        return site;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            tailer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
