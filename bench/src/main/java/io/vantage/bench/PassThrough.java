package io.vantage.bench;

import io.vantage.launcher.StreamsSettings;
import io.vantage.launcher.VantageConfig;
import io.vantage.model.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The processing ceiling: a Kafka Streams app that copies {@code vantage.imports} to a topic of
 * its own and does nothing else, with the processor's own settings ({@link StreamsSettings}:
 * exactly-once v2, commit interval, cache, thread count), in its own JVM.
 */
final class PassThrough {
    static final String APPLICATION_ID = "vantage-bench-passthrough";
    static final String OUTPUT = "vantage.bench.passthrough";

    private PassThrough() {
    }

    static Topology topology() {
        StreamsBuilder b = new StreamsBuilder();
        b.stream(Topics.IMPORTS, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(OUTPUT, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return b.build();
    }

    static void run(String bootstrap, int threads, Path dataDir) throws InterruptedException {
        VantageConfig config = VantageConfig.fromEnv(Map.of("VANTAGE_KAFKA_BOOTSTRAP", bootstrap, "VANTAGE_PORT", "1",
                "VANTAGE_DATA_DIR", dataDir.toString(), "VANTAGE_STREAM_THREADS", String.valueOf(threads)));
        Properties p = StreamsSettings.of(config, APPLICATION_ID);
        KafkaStreams streams = new KafkaStreams(topology(), p);
        Runtime.getRuntime().addShutdownHook(new Thread(streams::close));
        streams.start();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            Thread.sleep(20);
        }
        System.out.println("pass-through running");
        Thread.currentThread().join();
    }
}
