package dev.minnow.streams;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The scoring topology in a {@link TopologyTestDriver}, with its topics at hand. */
final class Driver implements AutoCloseable {
    static final String APP = "minnow-test";
    static final String CHANGELOG = APP + "-" + ScoringTopology.STATE_STORE + "-changelog";

    final ScoringTopology.Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> input, detectors, groups;
    final TestOutputTopic<String, byte[]> events, deadLetters, changelog;
    final TestOutputTopic<String, byte[]> scores;

    Driver(ScoringTopology.Topics topics, ScoringTopology.Options options, Path stateDir) {
        this.topics = topics;
        Properties p = ScoringTopology.config(APP, "unused:9092", stateDir.toString());
        p.putAll(System.getProperties().entrySet().stream().filter(e -> e.getKey().toString().startsWith("minnow.kafka."))
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toString().substring("minnow.kafka.".length()), e -> e.getValue())));
        this.driver = new TopologyTestDriver(ScoringTopology.build(topics, options), p);
        StringSerializer ks = new StringSerializer();
        ByteArraySerializer vs = new ByteArraySerializer();
        input = driver.createInputTopic(topics.input(), ks, vs);
        detectors = driver.createInputTopic(topics.detectors(), ks, vs);
        groups = driver.createInputTopic(topics.deviceGroups(), ks, vs);
        StringDeserializer kd = new StringDeserializer();
        ByteArrayDeserializer vd = new ByteArrayDeserializer();
        events = driver.createOutputTopic(topics.events(), kd, vd);
        deadLetters = driver.createOutputTopic(topics.deadLetters(), kd, vd);
        changelog = driver.createOutputTopic(CHANGELOG, kd, vd);
        scores = topics.scores() == null ? null : driver.createOutputTopic(topics.scores(), kd, vd);
    }

    /** Publishes the fleet's detector specs and its non-default devices' groups. */
    void publish(Fleet fleet, String defaultGroup) {
        for (String g : fleet.configs.keySet()) detectors.pipeInput(g, fleet.spec(g).toJson());
        for (Fleet.Device d : fleet.devices) {
            if (!d.group().equals(defaultGroup)) groups.pipeInput(d.id(), d.group().getBytes(StandardCharsets.UTF_8));
        }
    }

    void pipe(List<Fleet.Telemetry> records) {
        for (Fleet.Telemetry t : records) input.pipeInput(t.device(), t.value());
    }

    /** Reads the topic's window scores so far, grouped by device (each device's order kept). */
    static Map<String, List<WindowScore>> byDevice(TestOutputTopic<String, byte[]> topic, Map<String, List<WindowScore>> into) {
        for (KeyValue<String, byte[]> kv : topic.readKeyValuesToList()) {
            WindowScore w = WindowScore.parse(kv.value);
            if (!w.device().equals(kv.key)) throw new AssertionError("record key " + kv.key + " but device " + w.device());
            into.computeIfAbsent(kv.key, k -> new ArrayList<>()).add(w);
        }
        return into;
    }

    static Map<String, List<WindowScore>> byDevice(TestOutputTopic<String, byte[]> topic) {
        return byDevice(topic, new LinkedHashMap<>());
    }

    /** The device state store. */
    KeyValueStore<String, byte[]> states() { return driver.getKeyValueStore(ScoringTopology.STATE_STORE); }

    /**
     * What Kafka Streams does when a task starts on an instance without its local state: replays the store's
     * changelog (every write, in order; a null deletes) into the empty store.
     */
    void restore(List<KeyValue<String, byte[]>> changelogRecords) {
        KeyValueStore<String, byte[]> s = states();
        for (KeyValue<String, byte[]> kv : changelogRecords) {
            if (kv.value == null) s.delete(kv.key);
            else s.put(kv.key, kv.value);
        }
    }

    @Override public void close() { driver.close(); }
}
