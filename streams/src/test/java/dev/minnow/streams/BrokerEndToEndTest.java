package dev.minnow.streams;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on a real single-node Kafka cluster (KRaft, combined broker and controller, started in process from
 * Kafka's server jars by its cluster test kit, on free ports it binds at run time, its logs in the test's temporary
 * directory): the topology runs in a KafkaStreams instance with exactly-once v2 and two stream threads, is stopped
 * mid-stream, and a second instance on an empty state directory restores the device states from the changelog and
 * finishes the stream; the committed events and scores equal the library's detection loop per device.
 *
 * <p>Part of the default {@code mvn test} (about a minute). {@code -Dminnow.skipKafkaBroker=true} leaves it out on
 * purpose: it is then reported as skipped, with a warning. The whole test has a time budget
 * ({@code -Dminnow.brokerTimeoutSeconds}, default 180): every wait is bounded by what is left of it and fails naming
 * the phase and the counts, and a JUnit timeout stops the test should a Kafka call itself hang.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BrokerEndToEndTest {
    /** System property that leaves this test out explicitly (it is then skipped with a warning). */
    static final String SKIP_PROPERTY = "minnow.skipKafkaBroker";
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("minnow.brokerTimeoutSeconds", 180));

    private long start, deadline, phaseStart;

    @BeforeEach
    void runUnlessExplicitlySkipped() {
        if (Boolean.getBoolean(SKIP_PROPERTY)) {
            System.err.println("WARNING: -D" + SKIP_PROPERTY + "=true: the end-to-end test on a real Kafka broker is NOT run");
            Assumptions.abort("real-broker test left out by -D" + SKIP_PROPERTY + "=true");
        }
    }

    /** Time left of the budget; fails naming {@code what} when none is. */
    private Duration left(String what) {
        long n = deadline - System.nanoTime();
        if (n <= 0) throw new AssertionError(String.format(Locale.ROOT, "the broker test ran out of its %d s budget (-D"
                + "minnow.brokerTimeoutSeconds) while %s", BUDGET.toSeconds(), what));
        return Duration.ofNanos(n);
    }

    /** Prints how long the phase just ended took (the test's log shows where its minute goes). */
    private void phase(String name) {
        long now = System.nanoTime();
        System.out.printf(Locale.ROOT, "broker test: %-48s %6.1f s (total %6.1f s)%n", name, (now - phaseStart) / 1e9, (now - start) / 1e9);
        phaseStart = now;
    }

    @Test
    void exactlyOnceAcrossARestartOnARealBroker(@TempDir Path dir) throws Exception {
        start = phaseStart = System.nanoTime();
        deadline = start + BUDGET.toNanos();
        Fleet fleet = Fleet.create(4, 2, 200, 11);
        Map<String, List<WindowScore>> library = fleet.libraryWindows();
        List<Fleet.Telemetry> telemetry = fleet.telemetry(12);
        int cut = telemetry.size() / 2;
        ScoringTopology.Topics topics = ScoringTopology.Topics.defaults();
        ScoringTopology.Options options = new ScoringTopology.Options(Fleet.DENSE, ScoringTopology.StateStoreKind.ROCKSDB);
        phase("fleet and the detection loop's windows");

        // ports: the kit binds each listener to a free port (port 0) before the node starts; logs and metadata in
        // the test's temporary directory, deleted afterwards
        try (KafkaClusterTestKit cluster = LocalKafka.start(dir.resolve("kafka"))) {
            String bootstrap = cluster.bootstrapServers();
            phase("cluster started (" + bootstrap + ")");
            LocalKafka.createTopics(bootstrap, topics, 3, left("creating the topics").toMillis());
            phase("topics created");
            Map<String, Object> producerConfig = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
                for (String g : fleet.configs.keySet()) producer.send(new ProducerRecord<>(topics.detectors(), g, fleet.spec(g).toJson()));
                for (Fleet.Device d : fleet.devices) {
                    if (!d.group().equals(Fleet.DENSE)) {
                        producer.send(new ProducerRecord<>(topics.deviceGroups(), d.id(), d.group().getBytes(StandardCharsets.UTF_8)));
                    }
                }
                producer.flush();
                for (Fleet.Telemetry t : telemetry.subList(0, cut)) producer.send(new ProducerRecord<>(topics.input(), t.device(), t.value()));
                producer.flush();
                phase("first " + cut + " of " + telemetry.size() + " records produced");

                // first instance: the first part of the stream, then a stop
                try (KafkaStreams first = start(topics, options, bootstrap, dir.resolve("instance-1"), "first instance")) {
                    phase("first instance running");
                    awaitWindows(bootstrap, topics.scores(), expectedWindows(fleet, library, telemetry.subList(0, cut)), "first instance");
                    phase("first instance's windows committed");
                    stop(first, "first instance");
                    phase("first instance closed");
                }
                // second instance on another (empty) state directory: it restores the device states from the changelog
                for (Fleet.Telemetry t : telemetry.subList(cut, telemetry.size())) {
                    producer.send(new ProducerRecord<>(topics.input(), t.device(), t.value()));
                }
                producer.flush();
                try (KafkaStreams second = start(topics, options, bootstrap, dir.resolve("instance-2"), "second instance")) {
                    phase("rest produced, second instance running");
                    awaitWindows(bootstrap, topics.scores(), expectedWindows(fleet, library, telemetry), "second instance");
                    phase("second instance's windows committed");
                    stop(second, "second instance");
                    phase("second instance closed");
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
            phase("topics read and compared");
        }
        phase("cluster closed");
    }

    private KafkaStreams start(ScoringTopology.Topics topics, ScoringTopology.Options options, String bootstrap, Path stateDir, String who)
            throws InterruptedException {
        Properties p = ScoringTopology.config("minnow-e2e", bootstrap, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // the broker's minimum session: a member that is gone without leaving is noticed within seconds
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        KafkaStreams s = new KafkaStreams(ScoringTopology.build(topics, options), p);
        s.start();
        while (s.state() != KafkaStreams.State.RUNNING) {
            if (s.state() == KafkaStreams.State.ERROR || s.state() == KafkaStreams.State.NOT_RUNNING) {
                s.close(Duration.ofSeconds(10));
                throw new AssertionError(who + " stopped before running: " + s.state());
            }
            if (deadline - System.nanoTime() <= 0) {
                KafkaStreams.State state = s.state();
                s.close(Duration.ofSeconds(10));
                left(who + " was " + state + ", not yet RUNNING");
            }
            Thread.sleep(100);
        }
        return s;
    }

    /** Closes an instance, leaving the group so the next one need not wait for its session to expire. */
    private void stop(KafkaStreams s, String who) {
        Duration t = left("closing the " + who);
        if (t.compareTo(Duration.ofSeconds(30)) > 0) t = Duration.ofSeconds(30);
        boolean closed = s.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(t));
        assertTrue(closed, who + " did not close within " + t.toSeconds() + " s");
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
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Waits until the topic holds {@code n} committed records, at most for what is left of the budget. */
    private void awaitWindows(String bootstrap, String topic, long n, String who) throws InterruptedException {
        long seen = 0;
        while (true) {
            if (deadline - System.nanoTime() <= 0) {
                left(String.format(Locale.ROOT, "waiting for the %s's windows: %s holds %d of the %d expected", who, topic, seen, n));
            }
            seen = readAll(bootstrap, topic).size();
            if (seen >= n) return;
            Thread.sleep(250);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("reading " + topic + " up to its end offsets " + ends + " took more than 30 s; "
                            + out.size() + " records read");
                }
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
