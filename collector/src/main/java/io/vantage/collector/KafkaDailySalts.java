package io.vantage.collector;

import io.vantage.model.StorageUnavailableException;
import io.vantage.model.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily cookieless salts shared through Kafka: each is 32 random bytes, made by whichever
 * collector first needs it (today's and tomorrow's are made ahead) and published on
 * {@link Topics#SALTS}, a one-partition topic every collector reads from the start. The first
 * record of a day wins, so collectors that raced agree. The topic is not compacted (compaction
 * keeps the last record, which could swap a day's salt) but deleted by retention two days after
 * a salt was made, and a collector forgets a salt the day after its day: then no one can
 * recompute a past day's visitor ids, not even with the server secret.
 */
public final class KafkaDailySalts implements DailySalts, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaDailySalts.class);
    private static final long DAY_MS = 86_400_000L;
    private static final long ENSURE_EVERY_MS = 60_000;
    private final Map<Long, byte[]> salts = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Thread thread;
    private volatile boolean running = true;

    public KafkaDailySalts(String bootstrap, Clock clock) {
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(io.vantage.model.KafkaClients.settings(bootstrap, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")), new StringDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(io.vantage.model.KafkaClients.settings(bootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "cookieless-salts");
        thread.setDaemon(true);
    }

    /** Starts reading and making salts; returns once today's salt is known. */
    public KafkaDailySalts start(Duration timeout) {
        thread.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!salts.containsKey(today())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no cookieless salt for today from " + Topics.SALTS + " within " + timeout);
            }
            sleep(20);
        }
        return this;
    }

    @Override
    public byte[] saltOf(long day) {
        byte[] salt = salts.get(day);
        if (salt == null) {
            throw new StorageUnavailableException("the cookieless salt of day " + LocalDate.ofEpochDay(day)
                    + " is not known; Kafka (" + Topics.SALTS + ") may be unreachable", null);
        }
        return salt;
    }

    private long today() {
        return Math.floorDiv(clock.millis(), DAY_MS);
    }

    /** Whether today's salt is known: cookieless beacons can be taken. */
    public boolean healthy() {
        return salts.containsKey(today());
    }

    private void run() {
        TopicPartition tp = new TopicPartition(Topics.SALTS, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long nextCheck = 0;
        while (running) {
            try {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        // First wins: a later record of the same day (a collector that raced) is ignored.
                        salts.putIfAbsent(LocalDate.parse(r.key()).toEpochDay(), r.value());
                    } catch (RuntimeException e) {
                        LOGGER.warn("ignoring a record of {} that is not a salt: {}", Topics.SALTS, e.toString());
                    }
                }
                long now = clock.millis();
                // Caught up to the end before making any: a salt already there is never made again.
                if (now >= nextCheck && consumer.position(tp) >= consumer.endOffsets(List.of(tp)).get(tp)) {
                    nextCheck = now + ENSURE_EVERY_MS;
                    long today = Math.floorDiv(now, DAY_MS);
                    salts.keySet().removeIf(day -> day < today - 1);
                    for (long day = today; day <= today + 1; day++) {
                        if (!salts.containsKey(day)) {
                            byte[] salt = new byte[32];
                            random.nextBytes(salt);
                            producer.send(new ProducerRecord<>(Topics.SALTS, 0, LocalDate.ofEpochDay(day).toString(), salt))
                                    .get(30, TimeUnit.SECONDS);
                            // Read back before use: another collector's salt of the day may be first.
                            nextCheck = now;
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (Exception e) {
                // Kafka unreachable: keep trying; meanwhile healthy() says whether today's salt is known.
                LOGGER.warn("cookieless salts: {}; retrying", e.toString());
                nextCheck = 0;
                if (running) {
                    sleep(1_000);
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
        producer.close(Duration.ofSeconds(5));
    }
}
