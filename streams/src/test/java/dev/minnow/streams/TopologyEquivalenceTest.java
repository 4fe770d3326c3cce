package dev.minnow.streams;

import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The topology's windows and events equal the library's detection loop run per device over the same rows, for a
 * fleet of two corpus detectors (dense int8 autoencoder, int8 LSTM forecaster), with records interleaved across
 * devices, batched and not; also when the instance is restarted mid-stream and restores its state from the changelog.
 */
class TopologyEquivalenceTest {
    private static Fleet fleet;
    private static List<Fleet.Telemetry> telemetry;
    private static Map<String, List<WindowScore>> libraryWindows;
    private static Map<String, List<WindowScore>> libraryEvents;

    @BeforeAll
    static void fleet() throws IOException {
        fleet = Fleet.create(10, 6, 300, 17);
        telemetry = fleet.telemetry(5);
        libraryWindows = fleet.libraryWindows();
        libraryEvents = fleet.libraryEvents();
        long events = libraryEvents.values().stream().mapToLong(List::size).sum();
        long windows = libraryWindows.values().stream().mapToLong(List::size).sum();
        // a meaningful comparison: thousands of windows, events in both groups, quiet windows too
        assertTrue(windows > 2000, "windows " + windows);
        assertTrue(events > 50 && events < windows / 2, "events " + events + " of " + windows);
        assertTrue(libraryEvents.entrySet().stream().anyMatch(e -> e.getKey().startsWith("valve") && !e.getValue().isEmpty()));
        assertTrue(libraryEvents.entrySet().stream().anyMatch(e -> e.getKey().startsWith("pump") && !e.getValue().isEmpty()));
        // the events the detect operation reports are the alarm windows of the loop
        assertEquals(libraryEvents, alarms(libraryWindows));
    }

    private static Map<String, List<WindowScore>> alarms(Map<String, List<WindowScore>> windows) {
        Map<String, List<WindowScore>> out = new LinkedHashMap<>();
        windows.forEach((d, ws) -> out.put(d, ws.stream().filter(WindowScore::alarm).collect(Collectors.toList())));
        return out;
    }

    /** Devices without any window or event are absent from a topic; the library lists them with an empty list. */
    private static Map<String, List<WindowScore>> nonEmpty(Map<String, List<WindowScore>> m) {
        Map<String, List<WindowScore>> out = new LinkedHashMap<>();
        m.forEach((d, l) -> {
            if (!l.isEmpty()) out.put(d, l);
        });
        return out;
    }

    @Test
    void uninterruptedRunEqualsTheDetectionLoop(@TempDir Path state) {
        ScoringTopology.Options options = new ScoringTopology.Options(Fleet.DENSE, ScoringTopology.StateStoreKind.ROCKSDB);
        try (Driver d = new Driver(ScoringTopology.Topics.defaults(), options, state)) {
            d.publish(fleet, Fleet.DENSE);
            d.pipe(telemetry);
            assertEquals(nonEmpty(libraryWindows), Driver.byDevice(d.scores));
            assertEquals(nonEmpty(libraryEvents), Driver.byDevice(d.events));
            assertTrue(d.deadLetters.isEmpty());
        }
    }

    @Test
    void restartMidStreamRestoresFromTheChangelogAndContinuesExactly(@TempDir Path state) {
        ScoringTopology.Options options = new ScoringTopology.Options(Fleet.DENSE, ScoringTopology.StateStoreKind.IN_MEMORY);
        int cut = telemetry.size() * 2 / 5;
        Map<String, List<WindowScore>> events = new LinkedHashMap<>(), windows = new LinkedHashMap<>();
        List<KeyValue<String, byte[]>> changelog;
        try (Driver first = new Driver(ScoringTopology.Topics.defaults(), options, state)) {
            first.publish(fleet, Fleet.DENSE);
            first.pipe(telemetry.subList(0, cut));
            Driver.byDevice(first.events, events);
            Driver.byDevice(first.scores, windows);
            changelog = first.changelog.readKeyValuesToList();
        }
        // every device had state written before the cut, and the state is mid-window for most of them
        assertEquals(fleet.devices.size(), changelog.stream().map(kv -> kv.key).distinct().count());
        try (Driver second = new Driver(ScoringTopology.Topics.defaults(), options, state)) {
            assertTrue(second.states().approximateNumEntries() == 0, "a fresh instance starts without local state");
            second.restore(changelog);
            // the global tables come back from their compacted topics
            second.publish(fleet, Fleet.DENSE);
            second.pipe(telemetry.subList(cut, telemetry.size()));
            Driver.byDevice(second.events, events);
            Driver.byDevice(second.scores, windows);
            assertTrue(second.deadLetters.isEmpty());
        }
        assertEquals(nonEmpty(libraryWindows), windows);
        assertEquals(nonEmpty(libraryEvents), events);
    }

    @Test
    void aRestartWithoutRestoringWouldDiffer(@TempDir Path state) {
        // the restart test can fail: losing the state (no changelog restore) changes the windows after the cut
        ScoringTopology.Options options = new ScoringTopology.Options(Fleet.DENSE, ScoringTopology.StateStoreKind.IN_MEMORY);
        int cut = telemetry.size() * 2 / 5;
        Map<String, List<WindowScore>> windows = new LinkedHashMap<>();
        try (Driver first = new Driver(ScoringTopology.Topics.defaults(), options, state)) {
            first.publish(fleet, Fleet.DENSE);
            first.pipe(telemetry.subList(0, cut));
            Driver.byDevice(first.scores, windows);
        }
        try (Driver second = new Driver(ScoringTopology.Topics.defaults(), options, state)) {
            second.publish(fleet, Fleet.DENSE);
            second.pipe(telemetry.subList(cut, telemetry.size()));
            Driver.byDevice(second.scores, windows);
        }
        assertTrue(!nonEmpty(libraryWindows).equals(windows));
    }
}
