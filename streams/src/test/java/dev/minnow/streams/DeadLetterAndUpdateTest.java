package dev.minnow.streams;

import dev.minnow.emulator.detect.PipelineConfig;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rejected records go to the dead-letter topic without touching device state; detectors and groups change at run time. */
class DeadLetterAndUpdateTest {
    private static final ScoringTopology.Options OPTIONS = new ScoringTopology.Options(Fleet.DENSE, ScoringTopology.StateStoreKind.IN_MEMORY);
    private static Fleet fleet;
    private static Map<String, List<WindowScore>> library;

    @BeforeAll
    static void fleet() throws IOException {
        fleet = Fleet.create(2, 1, 300, 3);
        library = fleet.libraryWindows();
    }

    private static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void badRecordsAreDeadLetteredAndLeaveTheStateAlone(@TempDir Path dir) {
        String pump = fleet.devices.get(0).id(), valve = fleet.devices.get(2).id();
        String[][] bad = {
                {pump, "not json", "record is not valid JSON: Unrecognized token 'not'"},
                {pump, "[1, 2]", "record is not a JSON object"},
                {pump, "{\"values\": [1,2,3,4,5,6,7,8], \"temp\": 3}", "record has an unknown field 'temp' (samples, time, values)"},
                {pump, "{\"values\": [1,2,3,4,5,6,7]}", "sample 1 has 7 values, the detector's channels are 8 [c0, c1, c2, c3, c4, c5, c6, c7]"},
                {valve, "{\"values\": [1, 2]}", "sample 1 has more than the detector's 1 channels [c0]"},
                {valve, "{\"values\": {\"x\": 1}}", "sample 1 has a value for 'x', not one of the detector's channels [c0]"},
                {pump, "{\"values\": {\"c0\":1,\"c1\":1,\"c2\":1,\"c3\":1,\"c4\":1,\"c5\":1,\"c7\":1}}", "sample 1 has no value for channel 'c6'"},
                {valve, "{\"samples\": [{\"values\": [1]}, {\"values\": [\"2\"]}]}", "sample 2 channel 'c0' is a string, not a number"},
                {valve, "{\"samples\": [{\"values\": [1]}, {\"values\": [1e999]}]}", "sample 2 channel 'c0' 1e999 is not a finite number"},
                {valve, "{\"time\": 3}", "sample 1 has no 'values'"},
                {valve, "{}", "record has neither 'values' nor 'samples'"},
                {"", "{\"values\": [1]}", "record has no device id (key)"},
        };
        try (Driver d = new Driver(ScoringTopology.Topics.defaults(), OPTIONS, dir)) {
            d.publish(fleet, Fleet.DENSE);
            List<Fleet.Telemetry> good = fleet.telemetry(8);
            int at = good.size() / 2;
            d.pipe(good.subList(0, at));
            for (String[] b : bad) d.input.pipeInput(b[0], utf8(b[1]));
            d.pipe(good.subList(at, good.size()));
            List<KeyValue<String, byte[]>> letters = d.deadLetters.readKeyValuesToList();
            assertEquals(bad.length, letters.size());
            for (int i = 0; i < bad.length; i++) {
                DeadLetter l = DeadLetter.parse(letters.get(i).value);
                assertTrue(l.error().startsWith(bad[i][2]), l.error());
                assertEquals(bad[i][1], l.value());
                assertEquals(bad[i][0].isEmpty() ? null : bad[i][0], l.device().isEmpty() ? null : l.device());
                assertEquals("minnow.telemetry", l.topic());
                assertTrue(l.offset() >= 0);
            }
            // the rejected records changed nothing: every device's windows are still the library's
            Map<String, List<WindowScore>> got = Driver.byDevice(d.scores);
            for (Fleet.Device dev : fleet.devices) assertEquals(library.get(dev.id()), got.get(dev.id()), dev.id());
        }
    }

    @Test
    void deviceWithoutADetectorAndUnusableSpecsAreDeadLettered(@TempDir Path dir) {
        try (Driver d = new Driver(ScoringTopology.Topics.defaults(), OPTIONS, dir)) {
            d.publish(fleet, Fleet.DENSE);
            d.groups.pipeInput("ghost-1", utf8("ghosts"));
            d.input.pipeInput("ghost-1", utf8("{\"values\": [1]}"));
            // a spec that does not parse, one without a threshold, one whose model does not match its config
            d.detectors.pipeInput("broken", utf8("{\"config\": {}, \"model\": \"AAAA\"}"));
            d.groups.pipeInput("b-1", utf8("broken"));
            d.input.pipeInput("b-1", utf8("{\"values\": [1]}"));
            PipelineConfig noThreshold = fleet.configs.get(Fleet.LSTM).withThreshold(0, null);
            noThreshold = new PipelineConfig(null, noThreshold.csv(), noThreshold.channels(), noThreshold.normalization(),
                    noThreshold.window(), noThreshold.score(), null, null, null, null, null);
            d.detectors.pipeInput("uncalibrated", new DetectorSpec(noThreshold, fleet.models.get(Fleet.LSTM)).toJson());
            d.groups.pipeInput("u-1", utf8("uncalibrated"));
            d.input.pipeInput("u-1", utf8("{\"values\": [1]}"));
            d.detectors.pipeInput("mismatch", new DetectorSpec(fleet.configs.get(Fleet.LSTM), fleet.models.get(Fleet.DENSE)).toJson());
            d.groups.pipeInput("m-1", utf8("mismatch"));
            d.input.pipeInput("m-1", utf8("{\"values\": [1]}"));
            d.input.pipeInput("m-1", new byte[] {(byte) 0xff, 0x00});
            List<DeadLetter> l = d.deadLetters.readValuesToList().stream().map(DeadLetter::parse).toList();
            assertEquals(5, l.size());
            assertEquals("no detector for group 'ghosts' (device 'ghost-1')", l.get(0).error());
            assertTrue(l.get(1).error().startsWith("detector of group 'broken' is unusable: "), l.get(1).error());
            assertTrue(l.get(1).error().contains("channels must name at least one column"), l.get(1).error());
            assertEquals("detector of group 'uncalibrated' has no threshold: calibrate it first", l.get(2).error());
            assertEquals("detector of group 'mismatch' is unusable: model input [1, 60, 8] has 480 values; a window of 10 rows x 1 channels has 10",
                    l.get(3).error());
            // the same unusable spec answers again from the cache; a non-UTF-8 value travels as base64
            assertEquals(l.get(3).error(), l.get(4).error());
            assertNull(l.get(4).value());
            assertEquals(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0x00}), l.get(4).valueBase64());
            assertTrue(d.events.isEmpty() && d.scores.isEmpty());
            assertEquals(0, d.states().approximateNumEntries());
        }
    }

    @Test
    void aNewThresholdAppliesFromTheNextWindowKeepingTheBuffer(@TempDir Path dir) {
        Fleet.Device pump = fleet.devices.get(0);
        List<Fleet.Telemetry> recs = fleet.telemetry(9).stream().filter(t -> t.device().equals(pump.id())).toList();
        List<WindowScore> expected = library.get(pump.id());
        PipelineConfig cfg = fleet.configs.get(Fleet.DENSE);
        double lower = cfg.threshold() / 4;
        try (Driver d = new Driver(ScoringTopology.Topics.defaults(), OPTIONS, dir)) {
            d.publish(fleet, Fleet.DENSE);
            int cut = recs.size() / 2;
            d.pipe(recs.subList(0, cut));
            List<WindowScore> before = Driver.byDevice(d.scores).get(pump.id());
            d.detectors.pipeInput(Fleet.DENSE, new DetectorSpec(cfg.withThreshold(lower, null), fleet.models.get(Fleet.DENSE)).toJson());
            d.pipe(recs.subList(cut, recs.size()));
            List<WindowScore> after = Driver.byDevice(d.scores).get(pump.id());
            assertEquals(expected.subList(0, before.size()), before);
            List<WindowScore> rest = expected.subList(before.size(), expected.size());
            assertEquals(rest.size(), after.size());
            for (int i = 0; i < rest.size(); i++) {
                WindowScore e = rest.get(i);
                // same window, same score: the buffer survived the update; judged against the new threshold
                assertEquals(new WindowScore(e.device(), e.row(), e.time(), e.window(), e.score(), lower, e.score() > lower), after.get(i));
            }
            assertTrue(after.stream().filter(WindowScore::alarm).count() > rest.stream().filter(WindowScore::alarm).count());
        }
    }

    @Test
    void movingADeviceToAnotherGroupStartsItsWindowsAfresh(@TempDir Path dir) {
        Fleet.Device pump = fleet.devices.get(0);
        try (Driver d = new Driver(ScoringTopology.Topics.defaults(), OPTIONS, dir)) {
            d.publish(fleet, Fleet.DENSE);
            for (int r = 0; r < 65; r++) d.input.pipeInput(pump.id(), utf8("{\"values\": [" + String.join(",", pump.values()[r]) + "]}"));
            assertEquals(1, d.scores.readValuesToList().size());
            d.groups.pipeInput(pump.id(), utf8(Fleet.LSTM));
            List<WindowScore> got = new ArrayList<>();
            for (int r = 0; r < 11; r++) {
                d.input.pipeInput(pump.id(), utf8("{\"values\": [" + pump.values()[r][0] + "]}"));
                got.addAll(d.scores.readValuesToList().stream().map(WindowScore::parse).toList());
            }
            // the forecaster's 11-row window completes on the 11th sample after the move, as for a new device
            assertEquals(1, got.size());
            assertEquals(11, got.get(0).row());
            assertEquals(1, got.get(0).window());
            assertFalse(d.deadLetters.readValuesToList().size() > 0);
        }
    }
}
