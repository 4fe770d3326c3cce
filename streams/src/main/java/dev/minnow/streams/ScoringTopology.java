package dev.minnow.streams;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;

/**
 * The Kafka Streams topology scoring a fleet: telemetry records keyed by device id are scored by their device
 * group's detector ({@link FleetScorer}), with each device's state in a changelogged store, so a restarted or
 * rebalanced instance goes on exactly where the device stopped.
 *
 * <pre>
 *   input (device -> sample JSON) --score--> events      (device -> WindowScore JSON, windows above the threshold)
 *                                       \--> scores      (device -> WindowScore JSON, every window; optional)
 *                                       \--> dead letters (device -> DeadLetter JSON)
 *   detectors     (group -> DetectorSpec JSON)  global store, read at run time: a new value replaces the detector
 *   device groups (device -> group id, UTF-8)   global store; a device without one belongs to the default group
 * </pre>
 */
public final class ScoringTopology {
    private ScoringTopology() {}

    /** Per-device state store (its changelog topic is {@code <application.id>-minnow-device-state-changelog}). */
    public static final String STATE_STORE = "minnow-device-state";
    /** Global store of the detectors topic. */
    public static final String DETECTORS_STORE = "minnow-detectors";
    /** Global store of the device-groups topic. */
    public static final String GROUPS_STORE = "minnow-device-groups";

    /**
     * The topics.
     *
     * @param input        telemetry records, keyed by device id
     * @param events       windows above their threshold
     * @param scores       every scored window; null for none
     * @param deadLetters  rejected records
     * @param detectors    group id -> {@link DetectorSpec} JSON (compacted)
     * @param deviceGroups device id -> group id (compacted)
     */
    public record Topics(String input, String events, String scores, String deadLetters, String detectors, String deviceGroups) {
        public Topics {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(deadLetters, "deadLetters");
            Objects.requireNonNull(detectors, "detectors");
            Objects.requireNonNull(deviceGroups, "deviceGroups");
        }

        /** minnow.telemetry, minnow.events, minnow.scores, minnow.dead-letters, minnow.detectors, minnow.device-groups. */
        public static Topics defaults() {
            return new Topics("minnow.telemetry", "minnow.events", "minnow.scores", "minnow.dead-letters", "minnow.detectors",
                    "minnow.device-groups");
        }

        /** These topics without the scores topic. */
        public Topics withoutScores() { return new Topics(input, events, null, deadLetters, detectors, deviceGroups); }
    }

    /** Where device state lives: RocksDB (default; off-heap) or the heap. Both are changelogged. */
    public enum StateStoreKind { ROCKSDB, IN_MEMORY }

    /**
     * Options.
     *
     * @param defaultGroup the group of a device the device-groups table does not name
     * @param store        the device state store's kind
     */
    public record Options(String defaultGroup, StateStoreKind store) {
        public Options {
            Objects.requireNonNull(defaultGroup, "defaultGroup");
            Objects.requireNonNull(store, "store");
        }

        /** Default group "default", RocksDB state. */
        public static Options defaults() { return new Options("default", StateStoreKind.ROCKSDB); }

        /** These options with another state store. */
        public Options withStore(StateStoreKind kind) { return new Options(defaultGroup, kind); }
    }

    /** The topology. */
    public static Topology build(Topics topics, Options options) {
        Topology t = new Topology();
        t.addGlobalStore(globalStore(DETECTORS_STORE), "detectors-source", new StringDeserializer(), new ByteArrayDeserializer(),
                topics.detectors(), "detectors-update", () -> new TableUpdater(DETECTORS_STORE));
        t.addGlobalStore(globalStore(GROUPS_STORE), "groups-source", new StringDeserializer(), new ByteArrayDeserializer(),
                topics.deviceGroups(), "groups-update", () -> new TableUpdater(GROUPS_STORE));
        t.addSource("telemetry", new StringDeserializer(), new ByteArrayDeserializer(), topics.input());
        t.addProcessor("score", () -> new ScoringProcessor(options.defaultGroup(), topics.scores() != null), "telemetry");
        KeyValueBytesStoreSupplier supplier = options.store() == StateStoreKind.ROCKSDB
                ? Stores.persistentKeyValueStore(STATE_STORE) : Stores.inMemoryKeyValueStore(STATE_STORE);
        // changelogged (the default): the store's every write goes to its changelog topic, from which a restarted or
        // newly assigned instance restores it
        t.addStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray()), "score");
        t.addSink("events", topics.events(), new StringSerializer(), new ByteArraySerializer(), "score");
        if (topics.scores() != null) t.addSink("scores", topics.scores(), new StringSerializer(), new ByteArraySerializer(), "score");
        t.addSink("dead-letters", topics.deadLetters(), new StringSerializer(), new ByteArraySerializer(), "score");
        return t;
    }

    /** The scoring processor alone (benchmarks drive it with a mock context and plain stores). */
    static Processor<String, byte[], String, byte[]> processor(String defaultGroup, boolean allScores) {
        return new ScoringProcessor(defaultGroup, allScores);
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> globalStore(String name) {
        // a global store is restored from its own (compacted) source topic, never from a changelog
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled();
    }

    /**
     * Streams properties for this topology: exactly-once (v2) processing, so each record's state update, events and
     * input offset commit atomically and a crash replays nothing twice; String keys and byte-array values.
     */
    public static Properties config(String applicationId, String bootstrapServers, String stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        return p;
    }

    /** Keeps a global store equal to its topic (a null value deletes). */
    private static final class TableUpdater implements Processor<String, byte[], Void, Void> {
        private final String storeName;
        private KeyValueStore<String, byte[]> store;

        TableUpdater(String storeName) { this.storeName = storeName; }

        @Override public void init(ProcessorContext<Void, Void> context) { store = context.getStateStore(storeName); }

        @Override public void process(Record<String, byte[]> r) {
            if (r.key() == null) return;
            if (r.value() == null) store.delete(r.key());
            else store.put(r.key(), r.value());
        }
    }

    /** Scores each telemetry record with the thread's shared {@link FleetScorer}. */
    private static final class ScoringProcessor implements Processor<String, byte[], String, byte[]>, FleetScorer.WindowSink {
        private final String defaultGroup;
        private final boolean allScores;
        private ProcessorContext<String, byte[]> context;
        private KeyValueStore<String, byte[]> states;
        private KeyValueStore<String, byte[]> detectors;
        private KeyValueStore<String, byte[]> groups;
        private FleetScorer scorer;
        private Record<String, byte[]> current;

        ScoringProcessor(String defaultGroup, boolean allScores) {
            this.defaultGroup = defaultGroup;
            this.allScores = allScores;
        }

        @Override public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
            this.states = context.getStateStore(STATE_STORE);
            this.detectors = context.getStateStore(DETECTORS_STORE);
            this.groups = context.getStateStore(GROUPS_STORE);
            this.scorer = FleetScorer.acquire();
        }

        @Override public void process(Record<String, byte[]> r) {
            String device = r.key();
            try {
                if (device == null || device.isEmpty()) throw new RejectedRecordException("record has no device id (key)");
                byte[] g = groups.get(device);
                String group = g == null ? defaultGroup : new String(g, StandardCharsets.UTF_8);
                byte[] spec = detectors.get(group);
                if (spec == null) {
                    throw new RejectedRecordException("no detector for group '" + group + "' (device '" + device + "')");
                }
                current = r;
                byte[] state = scorer.process(device, group, spec, states.get(device), r.value(), this);
                states.put(device, state);
            } catch (RejectedRecordException e) {
                RecordMetadata m = context.recordMetadata().orElse(null);
                DeadLetter d = DeadLetter.of(device, e.getMessage(), m == null ? null : m.topic(), m == null ? -1 : m.partition(),
                        m == null ? -1 : m.offset(), r.value());
                context.forward(r.withValue(d.toJson()), "dead-letters");
            } finally {
                current = null;
            }
        }

        @Override public void window(String device, long row, String time, long window, double score, double threshold, boolean alarm) {
            if (!alarm && !allScores) return;
            byte[] json = new WindowScore(device, row, time, window, score, threshold, alarm).toJson();
            Record<String, byte[]> out = current.withValue(json);
            if (alarm) context.forward(out, "events");
            if (allScores) context.forward(out, "scores");
        }

        @Override public void close() {
            if (scorer != null) scorer.release();
            scorer = null;
        }
    }
}
