package dev.minnow.streams;

import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load benchmark (not part of the default build: {@code mvn -pl streams test -Pload-benchmark}): 10,000
 * simulated devices of the dense int8 autoencoder (60 x 8 window, hop 10) through the scoring topology on one
 * stream thread (TopologyTestDriver, in process, exactly-once config, the device state store changelogged), in
 * rounds, each round after a burst of the bare engine invoking the same model on the same thread, so their ratio is
 * taken under the same machine load. Prints records/s, samples/s, windows/s, events/s, p50/p99 per-record latency,
 * heap per device, and the ratio of windows/s to bare invokes/s.
 */
class LoadBenchmark {
    private static final int DEVICES = Integer.getInteger("minnow.bench.devices", 10_000);
    private static final int ROUNDS = Integer.getInteger("minnow.bench.rounds", 5);
    private static final int HOPS_PER_ROUND = Integer.getInteger("minnow.bench.hops", 2);
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final String DENSE = "dense_ae_480_i8";
    private static final String CONV = "conv_ae_i8";

    @Test
    void coreBatchesOfOneHop() throws IOException {
        run(DENSE, "FleetScorer core, hop batches (10 samples/record), states in a HashMap", 10, null, null);
    }

    @Test
    void topologyBatchesOfOneHopInMemoryState(@TempDir Path dir) throws IOException {
        run(DENSE, "topology, hop batches (10 samples/record), in-memory store", 10, ScoringTopology.StateStoreKind.IN_MEMORY, dir);
    }

    @Test
    void processorBatchesOfOneHopInMemoryState() throws IOException {
        run(DENSE, "processor + in-memory store, no driver, no changelog, hop batches (10 samples/record)", 10, null, null, true);
    }

    @Test
    void topologyBatchesOfOneHopRocksDbState(@TempDir Path dir) throws IOException {
        run(DENSE, "topology, hop batches (10 samples/record), RocksDB store", 10, ScoringTopology.StateStoreKind.ROCKSDB, dir);
    }

    @Test
    void topologySingleSamplesInMemoryState(@TempDir Path dir) throws IOException {
        run(DENSE, "topology, single samples (1 sample/record), in-memory store", 1, ScoringTopology.StateStoreKind.IN_MEMORY, dir);
    }

    @Test
    void convCoreBatchesOfOneHop() throws IOException {
        run(CONV, "FleetScorer core, hop batches (10 samples/record), states in a HashMap", 10, null, null);
    }

    @Test
    void convTopologyBatchesOfOneHopInMemoryState(@TempDir Path dir) throws IOException {
        run(CONV, "topology, hop batches (10 samples/record), in-memory store", 10, ScoringTopology.StateStoreKind.IN_MEMORY, dir);
    }

    @Test
    void perRecordCosts() throws IOException {
        stages(DENSE);
        stages(CONV);
    }

    /** CPU microseconds per call of {@code op}, over about {@code millis} of wall-clock time after a warm-up. */
    private static double cpuMicros(Runnable op, long millis) {
        for (int i = 0; i < 2000; i++) op.run();
        long n = 0, c0 = THREADS.getCurrentThreadCpuTime(), end = System.nanoTime() + millis * 1_000_000L;
        do {
            for (int i = 0; i < 100; i++) op.run();
            n += 100;
        } while (System.nanoTime() < end);
        return (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / n;
    }

    /**
     * Where a hop record's time goes, in CPU microseconds per call, each stage alone on this thread: the bare invoke,
     * the detector's window (assembly, quantize, reset, invoke, dequantize, score), the JSON of ten samples, the
     * state's decode and encode, a window's JSON, and the core's whole record; the core's overhead over the invoke.
     */
    private void stages(String detector) throws IOException {
        byte[] model = Fleet.modelBytes(detector);
        PipelineConfig cfg = calibrated(model);
        Model m = Model.load(model);
        int arena = Math.toIntExact(EngineAccess.alignArena(EngineAccess.minimumArenaBytes(m)));
        byte[][] pool = pool(10, 4096);
        byte[] spec = new DetectorSpec(cfg, model).toJson();
        try (Interpreter bare = new Interpreter(m, new InterpreterOptions().setArenaSize(arena));
             dev.minnow.emulator.detect.Detector det = new dev.minnow.emulator.detect.Detector(m, cfg, arena);
             FleetScorer scorer = new FleetScorer()) {
            bare.allocateTensors();
            dev.minnow.emulator.detect.DeviceState st = det.newState();
            float[] row = new float[cfg.channels().size()];
            while (!det.add(st, row)) { /* fill the window */ }
            byte[] stateBytes = st.encode();
            SampleParser parser = new SampleParser(cfg.channels());
            SampleBatch batch = new SampleBatch();
            int[] k = {0};
            byte[][] state = {null};
            FleetScorer.WindowSink sink = (device, r, time, window, score, threshold, alarm) -> { };
            for (int i = 0; i < 6; i++) state[0] = scorer.process("d", "default", spec, state[0], pool[i], sink);
            WindowScore w = new WindowScore("dev-00042", 2017, "20.16", 196, 3.9123456789, 0.62, true);
            long ms = 1500;
            double invoke = cpuMicros(bare::invoke, ms);
            double window = cpuMicros(() -> det.score(st), ms);
            double parse = cpuMicros(() -> parser.parse(pool[k[0]++ & 4095], batch), ms);
            double jackson = cpuMicros(() -> parser.parseWithJackson(pool[k[0]++ & 4095], batch), ms);
            double decodeEncode = cpuMicros(() -> dev.minnow.emulator.detect.DeviceState.decode(stateBytes).encode(), ms);
            double json = cpuMicros(w::toJson, ms);
            double record = cpuMicros(() -> state[0] = scorer.process("d", "default", spec, state[0], pool[k[0]++ & 4095], sink), ms);
            System.out.printf(Locale.ROOT, "%s, CPU us per call: bare invoke %.1f | detector window %.1f (+%.1f over the invoke) | "
                    + "parse of a 10-sample record %.1f (Jackson's reading %.1f) | state decode+encode %.1f | window JSON %.1f | core, whole hop record %.1f "
                    + "(+%.1f over the invoke, ratio %.2f)%n", detector, invoke, window, window - invoke, parse, jackson, decodeEncode, json, record,
                    record - invoke, invoke / record);
        }
    }

    /** Where the records go. */
    private interface Target extends AutoCloseable {
        void send(String device, byte[] value);

        /** Events since the last call (and drops whatever else the target kept of its output). */
        int drainEvents();

        @Override void close();
    }

    /** The topology in a TopologyTestDriver. */
    private static Target topology(ScoringTopology.StateStoreKind store, Path dir, byte[] spec) {
        Driver drv = new Driver(ScoringTopology.Topics.defaults().withoutScores(), new ScoringTopology.Options("default", store), dir);
        drv.detectors.pipeInput("default", spec);
        TestInputTopic<String, byte[]> in = drv.input;
        return new Target() {
            @Override public void send(String device, byte[] value) { in.pipeInput(device, value); }

            @Override public int drainEvents() {
                drv.changelog.readValuesToList(); // the driver keeps what it produces: drop it so the heap holds the stores only
                return drv.events.readValuesToList().size();
            }

            @Override public void close() { drv.close(); }
        };
    }

    /**
     * The scoring processor with a mock context and plain in-memory stores (no changelog): the topology's own
     * per-record work without the test driver's per-record commit and output capture.
     */
    private static Target processor(byte[] spec) {
        org.apache.kafka.streams.processor.api.MockProcessorContext<String, byte[]> ctx =
                new org.apache.kafka.streams.processor.api.MockProcessorContext<>();
        for (String name : List.of(ScoringTopology.STATE_STORE, ScoringTopology.DETECTORS_STORE, ScoringTopology.GROUPS_STORE)) {
            org.apache.kafka.streams.state.KeyValueStore<String, byte[]> s = org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                    org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore(name), org.apache.kafka.common.serialization.Serdes.String(),
                    org.apache.kafka.common.serialization.Serdes.ByteArray()).withLoggingDisabled().build();
            s.init(ctx.getStateStoreContext(), s);
            ctx.addStateStore(s);
        }
        ctx.<org.apache.kafka.streams.state.KeyValueStore<String, byte[]>>getStateStore(ScoringTopology.DETECTORS_STORE).put("default", spec);
        org.apache.kafka.streams.processor.api.Processor<String, byte[], String, byte[]> p = ScoringTopology.processor("default", false);
        p.init(ctx);
        return new Target() {
            @Override public void send(String device, byte[] value) {
                p.process(new org.apache.kafka.streams.processor.api.Record<>(device, value, 0L));
            }

            @Override public int drainEvents() {
                int n = ctx.forwarded("events").size();
                ctx.resetForwards();
                return n;
            }

            @Override public void close() { p.close(); }
        };
    }

    /** The scoring core alone, device states (their bytes) in a HashMap. */
    private static Target core(byte[] spec) {
        FleetScorer scorer = new FleetScorer();
        java.util.Map<String, byte[]> states = new java.util.HashMap<>();
        int[] events = {0};
        FleetScorer.WindowSink sink = (device, row, time, window, score, threshold, alarm) -> {
            if (alarm) events[0]++;
        };
        return new Target() {
            @Override public void send(String device, byte[] value) {
                states.put(device, scorer.process(device, "default", spec, states.get(device), value, sink));
            }

            @Override public int drainEvents() {
                int e = events[0];
                events[0] = 0;
                return e;
            }

            @Override public void close() { scorer.close(); }
        };
    }

    private static long usedHeap() {
        for (int i = 0; i < 4; i++) System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Record payloads of {@code perRecord} samples from a noisy 8-channel sine stream with rare steps. */
    private static byte[][] pool(int perRecord, int count) {
        Random r = new Random(1);
        byte[][] out = new byte[count][];
        long row = 0;
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder(perRecord == 1 ? "" : "{\"samples\":[");
            boolean step = r.nextInt(200) == 0;
            for (int k = 0; k < perRecord; k++, row++) {
                if (k > 0) s.append(',');
                s.append("{\"time\":\"").append(String.format(Locale.ROOT, "%.2f", row * 0.01)).append("\",\"values\":[");
                for (int c = 0; c < 8; c++) {
                    if (c > 0) s.append(',');
                    double v = Math.sin(row * 0.05 * (c + 1)) + 0.05 * r.nextGaussian() + (step ? 3 : 0);
                    s.append(String.format(Locale.ROOT, "%.5f", v));
                }
                s.append("]}");
            }
            if (perRecord > 1) s.append("]}");
            out[i] = s.toString().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** Invokes per second of wall-clock time and of this thread's CPU time. */
    private record Rate(double wall, double cpu) {}

    /** Bare engine: the model allocated once, invoked for about {@code millis}. */
    private static Rate bareInvokeRate(Interpreter it, long millis) {
        long n = 0, t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime(), end = t0 + millis * 1_000_000L, t;
        do {
            for (int i = 0; i < 50; i++) it.invoke();
            n += 50;
            t = System.nanoTime();
        } while (t < end);
        long c = THREADS.getCurrentThreadCpuTime() - c0;
        return new Rate(n / ((t - t0) / 1e9), n / (c / 1e9));
    }

    private void run(String detector, String mode, int perRecord, ScoringTopology.StateStoreKind store, Path dir) throws IOException {
        run(detector, mode, perRecord, store, dir, false);
    }

    private void run(String detector, String mode, int perRecord, ScoringTopology.StateStoreKind store, Path dir, boolean bareProcessor)
            throws IOException {
        String title = detector + ": " + mode;
        byte[] model = Fleet.modelBytes(detector);
        // calibrated at the 0.99 quantile of a normal stream
        PipelineConfig cfg = calibrated(model);
        Model m = Model.load(model);
        Interpreter bare = new Interpreter(m, new InterpreterOptions().setArenaSize(
                Math.toIntExact(EngineAccess.alignArena(EngineAccess.minimumArenaBytes(m)))));
        bare.allocateTensors();
        bareInvokeRate(bare, 3000); // warm-up
        long pid = ProcessHandle.current().pid();
        System.out.printf(Locale.ROOT, "%s: %d cores, load average %.1f, pid %d%n", title, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), pid);

        byte[][] pool = pool(perRecord, 4096);
        int recordsPerHop = 10 / perRecord;
        String[] ids = new String[DEVICES];
        for (int d = 0; d < DEVICES; d++) ids[d] = String.format(Locale.ROOT, "dev-%05d", d);
        long heapBefore;
        byte[] spec = new DetectorSpec(cfg, model).toJson();
        try (Target in = bareProcessor ? processor(spec) : store == null ? core(spec) : topology(store, dir, spec)) {
            in.send("warm-up", pool[0]);
            heapBefore = usedHeap();
            // fill every device's window: 60 rows = 6 hops, the first window at the end
            int k = 0;
            for (int hop = 0; hop < 6; hop++) {
                for (int d = 0; d < DEVICES; d++) for (int j = 0; j < recordsPerHop; j++) in.send(ids[d], pool[k++ & 4095]);
            }
            in.drainEvents();
            long heapAfter = usedHeap();
            double heapPerDevice = (heapAfter - heapBefore) / (double) DEVICES;

            int perRound = DEVICES * HOPS_PER_ROUND * recordsPerHop;
            long[] lat = new long[perRound * ROUNDS];
            int li = 0;
            double[] ratios = new double[ROUNDS], cpuRatios = new double[ROUNDS];
            double bareSum = 0, bareCpuSum = 0, windowsRateSum = 0;
            long records = 0, events = 0, windows = 0, nanos = 0, cpuNanos = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Rate bareRate = bareInvokeRate(bare, 2000);
                long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
                for (int hop = 0; hop < HOPS_PER_ROUND; hop++) {
                    for (int d = 0; d < DEVICES; d++) {
                        for (int j = 0; j < recordsPerHop; j++) {
                            long a = System.nanoTime();
                            in.send(ids[d], pool[k++ & 4095]);
                            lat[li++] = System.nanoTime() - a;
                        }
                    }
                }
                long dt = System.nanoTime() - t0, dc = THREADS.getCurrentThreadCpuTime() - c0;
                long w = (long) DEVICES * HOPS_PER_ROUND; // one window per device per hop
                nanos += dt;
                cpuNanos += dc;
                records += perRound;
                windows += w;
                events += in.drainEvents();
                double windowsRate = w / (dt / 1e9);
                double windowsCpuRate = w / (dc / 1e9);
                ratios[round] = windowsRate / bareRate.wall();
                cpuRatios[round] = windowsCpuRate / bareRate.cpu();
                bareSum += bareRate.wall();
                bareCpuSum += bareRate.cpu();
                windowsRateSum += windowsRate;
                System.out.printf(Locale.ROOT, "  round %d: bare %,.0f invokes/s (%,.0f per CPU s), topology %,.0f windows/s (%,.0f per CPU s),"
                        + " ratio %.3f (CPU %.3f)%n", round + 1, bareRate.wall(), bareRate.cpu(), windowsRate, windowsCpuRate, ratios[round],
                        cpuRatios[round]);
            }
            Arrays.sort(lat);
            Arrays.sort(ratios);
            Arrays.sort(cpuRatios);
            double secs = nanos / 1e9;
            String row = String.format(Locale.ROOT,
                    "| %s | %,d | %,.0f | %,.0f | %,.0f | %,.1f | %.0f | %.0f | %,.0f | %,.0f (%,.0f) | %,.0f | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) |",
                    title, DEVICES, records / secs, records * perRecord / secs, windows / secs, events / secs,
                    lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3, heapPerDevice, bareSum / ROUNDS, bareCpuSum / ROUNDS,
                    windows / (cpuNanos / 1e9), ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1], cpuRatios[ROUNDS / 2], cpuRatios[0],
                    cpuRatios[ROUNDS - 1]);
            System.out.println("| mode | devices | records/s | samples/s | windows/s | events/s | p50 us | p99 us | heap B/device"
                    + " | bare invokes/s (per CPU s) | windows per CPU s | wall ratio: median (min-max) | CPU ratio: median (min-max) |");
            System.out.println(row);
            assertTrue(windows > 0 && events > 0, "the benchmark scored windows and raised events");
            assertTrue(windowsRateSum > 0);
        } finally {
            bare.close();
        }
    }

    private static PipelineConfig calibrated(byte[] model) throws IOException {
        PipelineConfig cfg = Fleet.denseConfig();
        Fleet.Device normal = Fleet.device("normal", Fleet.DENSE, 8, 3000, -1, -1, 99);
        try (var p = dev.minnow.emulator.detect.DetectionPipeline.open(Model.load(model), cfg,
                dev.minnow.emulator.board.BoardCatalog.builtin().get(cfg.board()))) {
            return p.calibrate(new java.io.ByteArrayInputStream(normal.csv(cfg.channels()).getBytes(StandardCharsets.UTF_8)), "normal.csv",
                    dev.minnow.emulator.detect.DetectionPipeline.CalibrationSpec.quantile(0.99, 1.0)).config();
        }
    }
}
