package dev.minnow.streams;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on a real single-node Kafka cluster (KRaft, combined broker and controller, started in process from
 * Kafka's server jars by its cluster test kit): the topology runs in a KafkaStreams instance with exactly-once v2 and
 * two stream threads, is stopped mid-stream, and a second instance on an empty state directory restores the device
 * states from the changelog and finishes the stream; the committed events and scores equal the library's detection
 * loop per device. It takes a minute or two, so it runs with the profile: {@code mvn -pl streams test -Pkafka-broker}.
 */
class BrokerEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(Long.getLong("minnow.brokerWaitSeconds", 180));

    @Test
    void exactlyOnceAcrossARestartOnARealBroker(@TempDir Path dir) throws Exception {
        Fleet fleet = Fleet.create(4, 2, 200, 11);
        Map<String, List<WindowScore>> library = fleet.libraryWindows();
        List<Fleet.Telemetry> telemetry = fleet.telemetry(12);
        int cut = telemetry.size() / 2;
        ScoringTopology.Topics topics = ScoringTopology.Topics.defaults();
        ScoringTopology.Options options = new ScoringTopology.Options(Fleet.DENSE, ScoringTopology.StateStoreKind.ROCKSDB);

        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                Map<String, String> compact = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                admin.createTopics(List.of(new NewTopic(topics.input(), 3, (short) 1), new NewTopic(topics.events(), 1, (short) 1),
                        new NewTopic(topics.scores(), 1, (short) 1), new NewTopic(topics.deadLetters(), 1, (short) 1),
                        new NewTopic(topics.detectors(), 1, (short) 1).configs(compact),
                        new NewTopic(topics.deviceGroups(), 1, (short) 1).configs(compact))).all().get();
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
                for (String g : fleet.configs.keySet()) producer.send(new ProducerRecord<>(topics.detectors(), g, fleet.spec(g).toJson()));
                for (Fleet.Device d : fleet.devices) {
                    if (!d.group().equals(Fleet.DENSE)) {
                        producer.send(new ProducerRecord<>(topics.deviceGroups(), d.id(), d.group().getBytes(StandardCharsets.UTF_8)));
                    }
                }
                producer.flush();
                for (Fleet.Telemetry t : telemetry.subList(0, cut)) producer.send(new ProducerRecord<>(topics.input(), t.device(), t.value()));
                producer.flush();

                // first instance: the first part of the stream, then a stop
                try (KafkaStreams first = start(topics, options, bootstrap, dir.resolve("instance-1"))) {
                    awaitWindows(bootstrap, topics.scores(), expectedWindows(fleet, library, telemetry.subList(0, cut)));
                    first.close(Duration.ofSeconds(30));
                }
                // second instance on another (empty) state directory: it restores the device states from the changelog
                for (Fleet.Telemetry t : telemetry.subList(cut, telemetry.size())) {
                    producer.send(new ProducerRecord<>(topics.input(), t.device(), t.value()));
                }
                producer.flush();
                try (KafkaStreams second = start(topics, options, bootstrap, dir.resolve("instance-2"))) {
                    awaitWindows(bootstrap, topics.scores(), expectedWindows(fleet, library, telemetry));
                    second.close(Duration.ofSeconds(30));
                }
            }
            Map<String, List<WindowScore>> scores = read(bootstrap, topics.scores());
            Map<String, List<WindowScore>> events = read(bootstrap, topics.events());
            Map<String, List<WindowScore>> libraryEvents = new LinkedHashMap<>();
            library.forEach((d, ws) -> {
                List<WindowScore> alarms = ws.stream().filter(WindowScore::alarm).collect(Collectors.toList());
                if (!alarms.isEmpty()) libraryEvents.put(d, alarms);
            });
            assertEquals(library, scores, "every window, once, as the detection loop scores it");
            assertEquals(libraryEvents, events);
            assertTrue(read(bootstrap, topics.deadLetters()).isEmpty());
            assertTrue(libraryEvents.values().stream().mapToInt(List::size).sum() > 10);
        }
    }

    private static KafkaStreams start(ScoringTopology.Topics topics, ScoringTopology.Options options, String bootstrap, Path stateDir)
            throws InterruptedException {
        Properties p = ScoringTopology.config("minnow-e2e", bootstrap, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams s = new KafkaStreams(ScoringTopology.build(topics, options), p);
        s.start();
        long end = System.nanoTime() + WAIT.toNanos();
        while (s.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > end || s.state() == KafkaStreams.State.ERROR) {
                s.close();
                throw new AssertionError("streams did not reach RUNNING: " + s.state());
            }
            Thread.sleep(100);
        }
        return s;
    }

    /** Windows the library scores on the rows the given records carry. */
    private static long expectedWindows(Fleet fleet, Map<String, List<WindowScore>> library, List<Fleet.Telemetry> sent) {
        SampleBatch batch = new SampleBatch();
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Fleet.Telemetry t : sent) {
            String group = fleet.devices.stream().filter(d -> d.id().equals(t.device())).findFirst().orElseThrow().group();
            new SampleParser(fleet.configs.get(group).channels()).parse(t.value(), batch);
            rows.merge(t.device(), (long) batch.size(), Long::sum);
        }
        long n = 0;
        for (var e : rows.entrySet()) n += library.get(e.getKey()).stream().filter(w -> w.row() <= e.getValue()).count();
        return n;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits until the topic holds {@code n} committed records. */
    private static void awaitWindows(String bootstrap, String topic, long n) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        long seen = 0;
        while (System.nanoTime() < end) {
            seen = readAll(bootstrap, topic).size();
            if (seen >= n) return;
            Thread.sleep(500);
        }
        throw new AssertionError(String.format(Locale.ROOT, "%s: %d of %d records after %s", topic, seen, n, WAIT));
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static Map<String, List<WindowScore>> read(String bootstrap, String topic) {
        Map<String, List<WindowScore>> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(bootstrap, topic)) {
            if (topic.endsWith("dead-letters")) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>());
                continue;
            }
            out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(WindowScore.parse(r.value()));
        }
        return out;
    }
}
