package dev.minnow.streams;

import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.detect.Detector;
import dev.minnow.emulator.detect.DeviceState;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.emulator.detect.Preprocessor;
import dev.minnow.model.Model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The scoring core, independent of any stream processor: one per thread, it holds one {@link Detector} (one
 * interpreter) per device group and scores any device's record against that device's state, which the caller keeps
 * (a Kafka Streams store, a Flink keyed state): the state goes in as bytes and comes out as bytes
 * ({@link DeviceState#encode()}). Each row is normalised, buffered, and each complete window quantized, invoked,
 * dequantized, scored and judged by the emulator's own {@link Detector} and {@link Preprocessor}, the code of the
 * library's detection loop, so a device's windows here are the detection loop's windows over the same rows.
 *
 * <p>The interpreter is reset before every window (as in the detection loop and the firmware), so no tensor state
 * outlives a window: a device's whole state is its {@link DeviceState} (window ring, hop counter, counters), and
 * memory grows with devices by that state only, never by an arena.
 *
 * <p>Not thread-safe: {@link #acquire()} gives the calling thread's shared instance.
 */
public final class FleetScorer implements AutoCloseable {
    /** Receives each scored window of a record, in order. */
    public interface WindowSink {
        /**
         * A window of {@code device} ending at its {@code row}-th sample (1-based, counted over the device's whole
         * stream), at {@code time} (the sample's time as written, null without one); {@code window} is the device's
         * 1-based window count, {@code alarm} whether the score is above the threshold.
         */
        void window(String device, long row, String time, long window, double score, double threshold, boolean alarm);
    }

    /** A group's detector built from one spec (or why it could not be built). */
    private static final class Loaded {
        byte[] spec;
        final Detector detector;
        final Preprocessor pre;
        final SampleParser parser;
        final double threshold;
        final float[] row;
        final String failure;

        Loaded(byte[] spec, Detector detector, double threshold) {
            this.spec = spec;
            this.detector = detector;
            PipelineConfig cfg = detector.config();
            int[] cols = new int[cfg.channels().size()];
            for (int i = 0; i < cols.length; i++) cols[i] = i;
            this.pre = new Preprocessor(cfg, cols);
            this.parser = new SampleParser(cfg.channels());
            this.threshold = threshold;
            this.row = new float[cols.length];
            this.failure = null;
        }

        Loaded(byte[] spec, String failure) {
            this.spec = spec;
            this.detector = null;
            this.pre = null;
            this.parser = null;
            this.threshold = Double.NaN;
            this.row = null;
            this.failure = failure;
        }
    }

    private static final ThreadLocal<FleetScorer> SHARED = new ThreadLocal<>();

    private final Map<String, Loaded> groups = new HashMap<>();
    private final SampleBatch batch = new SampleBatch();
    private int users;
    private long builds;

    /** A scorer of its own (tests, benchmarks, other stream processors). */
    public FleetScorer() {}

    /**
     * The calling thread's shared scorer, counting one more user: every processor (task) on a stream thread shares
     * its interpreters. Pair with {@link #release()}.
     */
    public static FleetScorer acquire() {
        FleetScorer s = SHARED.get();
        if (s == null) {
            s = new FleetScorer();
            SHARED.set(s);
        }
        s.users++;
        return s;
    }

    /** One user fewer; the last one closes the thread's scorer. */
    public void release() {
        if (--users <= 0 && SHARED.get() == this) {
            SHARED.remove();
            close();
        }
    }

    /** Detectors built so far (a spec change or a new group builds one). */
    public long detectorsBuilt() { return builds; }

    /**
     * Scores one record of {@code device}: {@code spec} is its group's {@link DetectorSpec} JSON, {@code state} its
     * state bytes (null for a new device), {@code value} the record. Windows go to {@code sink}; returns the new state
     * bytes. A record that cannot be used throws {@link RejectedRecordException} before anything is scored (the old
     * state stands). A state of another shape (the group's window or channels changed) starts afresh.
     */
    public byte[] process(String device, String group, byte[] spec, byte[] state, byte[] value, WindowSink sink) {
        Loaded d = detector(group, spec);
        if (d.failure != null) throw new RejectedRecordException(d.failure);
        d.parser.parse(value, batch);
        Detector det = d.detector;
        DeviceState s = state == null ? null : DeviceState.decode(state);
        if (s == null || s.channels() != d.row.length || s.capacity() != det.windowRows()) s = det.newState();
        float[] row = d.row;
        for (int r = 0; r < batch.size(); r++) {
            for (int c = 0; c < row.length; c++) row[c] = d.pre.normalise(c, batch.value(r, c));
            if (det.add(s, row)) {
                double score = det.score(s);
                boolean alarm = det.judge(s, score);
                sink.window(device, s.rows(), batch.time(r), s.windows(), score, d.threshold, alarm);
            }
        }
        return s.encode();
    }

    /** The group's detector for this spec, built on first use or when the spec's bytes change. */
    private Loaded detector(String group, byte[] spec) {
        Loaded d = groups.get(group);
        if (d != null && (d.spec == spec || Arrays.equals(d.spec, spec))) {
            d.spec = spec; // the store usually hands out the same array: next time a reference check suffices
            return d;
        }
        if (d != null && d.detector != null) d.detector.close();
        groups.put(group, d = build(group, spec));
        builds++;
        return d;
    }

    private static Loaded build(String group, byte[] spec) {
        try {
            DetectorSpec s = DetectorSpec.parse(spec);
            if (s.config().threshold() == null) {
                return new Loaded(spec, "detector of group '" + group + "' has no threshold: calibrate it first");
            }
            Model model = Model.load(s.model());
            int arena = Math.toIntExact(EngineAccess.alignArena(EngineAccess.minimumArenaBytes(model)));
            return new Loaded(spec, new Detector(model, s.config(), arena), s.config().threshold());
        } catch (RuntimeException e) {
            return new Loaded(spec, "detector of group '" + group + "' is unusable: " + e.getMessage());
        }
    }

    /** Closes every detector. */
    @Override public void close() {
        for (Loaded d : groups.values()) if (d.detector != null) d.detector.close();
        groups.clear();
    }
}
