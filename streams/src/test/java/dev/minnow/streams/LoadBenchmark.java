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

    @Test
    void brokerBatchesOfOneHopRocksDbState(@TempDir Path dir) throws Exception {
        broker(DENSE, 10, dir);
    }

    @Test
    void brokerBatchesOfTwoHopsRocksDbState(@TempDir Path dir) throws Exception {
        broker(DENSE, 20, dir);
    }

    /** CPU nanoseconds so far of each live thread whose name contains {@code part}, by name. */
    private static java.util.Map<String, Long> threadsCpu(String part) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains(part)) {
                long c = THREADS.getThreadCpuTime(t.getThreadId());
                if (c > 0) out.merge(t.getThreadName(), c, Long::sum);
            }
        }
        return out;
    }

    /** CPU nanoseconds each thread spent between two {@link #threadsCpu} readings. */
    private static java.util.Map<String, Long> cpuSince(java.util.Map<String, Long> before, java.util.Map<String, Long> now) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        now.forEach((n, c) -> out.put(n, c - before.getOrDefault(n, 0L)));
        return out;
    }

    /** Waits until the application's committed input offsets add up to {@code records}. */
    private static void awaitCommitted(org.apache.kafka.clients.admin.Admin admin, String app, long records, long timeoutMillis)
            throws Exception {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L, done = 0;
        while (System.nanoTime() < end) {
            done = admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(java.util.Objects::nonNull).mapToLong(o -> o.offset()).sum();
            if (done >= records) return;
            Thread.sleep(50);
        }
        throw new AssertionError("after " + timeoutMillis + " ms the application committed " + done + " of " + records + " input records");
    }

    private static long countRecords(String bootstrap, String topic) {
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                java.util.Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            java.util.Map<org.apache.kafka.common.TopicPartition, Long> ends = c.endOffsets(parts);
            long n = 0, deadline = System.nanoTime() + 60_000_000_000L;
            while (parts.stream().anyMatch(p -> c.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                n += c.poll(java.time.Duration.ofMillis(200)).count();
            }
            return n;
        }
    }

    /**
     * The topology in a real deployment: a KafkaStreams instance (one stream thread, exactly-once v2, RocksDB state,
     * commit interval 100 ms) against a single-node broker in this JVM. The devices' windows are filled first; then
     * the measured records are produced and the time runs until the application has committed them all. The
     * broker, the producer and this thread share the machine with the stream thread, so the wall-clock rate is a
     * lower bound; the CPU time of the Streams client's own threads (stream thread, its producer's I/O thread) per
     * window, against the bare invoke's CPU time, is the overhead figure.
     */
    private void broker(String detector, int perRecord, Path dir) throws Exception {
        String title = detector + ": broker, KafkaStreams, " + perRecord + " samples/record, RocksDB store";
        byte[] model = Fleet.modelBytes(detector);
        PipelineConfig cfg = calibrated(model);
        Model m = Model.load(model);
        byte[] spec = new DetectorSpec(cfg, model).toJson();
        byte[][] pool = pool(perRecord, 4096);
        int hopsPerRecord = perRecord / 10;
        String[] ids = new String[DEVICES];
        for (int d = 0; d < DEVICES; d++) ids[d] = String.format(Locale.ROOT, "dev-%05d", d);
        ScoringTopology.Topics topics = ScoringTopology.Topics.defaults().withoutScores();
        String app = "minnow-bench";
        try (Interpreter bare = new Interpreter(m, new InterpreterOptions().setArenaSize(
                Math.toIntExact(EngineAccess.alignArena(EngineAccess.minimumArenaBytes(m)))));
             org.apache.kafka.common.test.KafkaClusterTestKit cluster = LocalKafka.start(dir.resolve("kafka"))) {
            bare.allocateTensors();
            bareInvokeRate(bare, 3000); // warm-up
            String bootstrap = cluster.bootstrapServers();
            LocalKafka.createTopics(bootstrap, topics, 2, 60_000);
            System.out.printf(Locale.ROOT, "%s: %d cores, load average %.1f%n", title, Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            java.util.Map<String, Object> pc = java.util.Map.of(
                    org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 20,
                    org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(pc,
                    new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
                 var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                         org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.detectors(), "default", spec));
                int k = 0;
                long sent = 0;
                for (int hop = 0; hop < 6; hop += hopsPerRecord) {
                    for (int d = 0; d < DEVICES; d++, sent++) {
                        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.input(), ids[d], pool[k++ & 4095]));
                    }
                }
                producer.flush();
                java.util.Properties p = ScoringTopology.config(app, bootstrap, dir.resolve("state").toString());
                p.put(org.apache.kafka.streams.StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
                p.put(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
                p.put(org.apache.kafka.streams.StreamsConfig.consumerPrefix(
                        org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
                try (var streams = new org.apache.kafka.streams.KafkaStreams(ScoringTopology.build(topics,
                        new ScoringTopology.Options("default", ScoringTopology.StateStoreKind.ROCKSDB)), p)) {
                    streams.start();
                    awaitCommitted(admin, app, sent, 1_200_000);
                    long eventsBefore = countRecords(bootstrap, topics.events());
                    Rate before = bareInvokeRate(bare, 3000);
                    int records = DEVICES * ROUNDS * HOPS_PER_ROUND / hopsPerRecord;
                    java.util.Map<String, Long> cpu0 = threadsCpu(app);
                    long t0 = System.nanoTime();
                    for (int r = 0; r < records / DEVICES; r++) {
                        for (int d = 0; d < DEVICES; d++) {
                            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topics.input(), ids[d], pool[k++ & 4095]));
                        }
                    }
                    producer.flush();
                    awaitCommitted(admin, app, sent + records, 1_200_000);
                    long dt = System.nanoTime() - t0;
                    java.util.Map<String, Long> cpu = cpuSince(cpu0, threadsCpu(app));
                    long dc = cpu.values().stream().mapToLong(Long::longValue).sum();
                    // the stream thread itself (its producer's I/O thread is named after it too, prefixed "kafka-producer")
                    long ds = cpu.entrySet().stream().filter(e -> e.getKey().startsWith(app) && e.getKey().contains("-StreamThread-"))
                            .mapToLong(java.util.Map.Entry::getValue).sum();
                    cpu.forEach((n, c) -> {
                        if (c > 10_000_000L) System.out.printf(Locale.ROOT, "  thread %s: %.2f CPU s%n", n, c / 1e9);
                    });
                    Rate after = bareInvokeRate(bare, 3000);
                    long events = countRecords(bootstrap, topics.events()) - eventsBefore;
                    streams.close(java.time.Duration.ofSeconds(60));
                    long windows = (long) DEVICES * ROUNDS * HOPS_PER_ROUND;
                    double secs = dt / 1e9, bareWall = (before.wall() + after.wall()) / 2, bareCpu = (before.cpu() + after.cpu()) / 2;
                    double streamUs = ds / 1e3 / windows, clientUs = dc / 1e3 / windows;
                    System.out.println("| mode | devices | records/s | samples/s | windows/s | events/s | bare invokes/s (per CPU s) | stream-thread"
                            + " CPU us per window (all client threads) | CPU us per window over the invoke | wall ratio | CPU ratio, stream thread (all client threads) |");
                    System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %,.0f | %,.1f | %,.0f (%,.0f) | %.1f (%.1f) | %.1f | %.2f | %.2f (%.2f) |%n",
                            title, DEVICES, records / secs, records * perRecord / secs, windows / secs, events / secs, bareWall, bareCpu,
                            streamUs, clientUs, streamUs - 1e6 / bareCpu, windows / secs / bareWall, 1e6 / streamUs / bareCpu,
                            1e6 / clientUs / bareCpu);
                    assertTrue(events > 0, "the benchmark raised events");
                }
            }
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
                    "| %s | %,d | %,.0f | %,.0f | %,.0f | %,.1f | %.0f | %.0f | %,.0f | %,.0f (%,.0f) | %,.0f | %.1f | %.2f (%.2f-%.2f) | %.2f (%.2f-%.2f) |",
                    title, DEVICES, records / secs, records * perRecord / secs, windows / secs, events / secs,
                    lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3, heapPerDevice, bareSum / ROUNDS, bareCpuSum / ROUNDS,
                    windows / (cpuNanos / 1e9), cpuNanos / 1e3 / windows - 1e6 / (bareCpuSum / ROUNDS), ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1], cpuRatios[ROUNDS / 2], cpuRatios[0],
                    cpuRatios[ROUNDS - 1]);
            System.out.println("| mode | devices | records/s | samples/s | windows/s | events/s | p50 us | p99 us | heap B/device"
                    + " | bare invokes/s (per CPU s) | windows per CPU s | CPU us per window over the invoke | wall ratio: median (min-max) | CPU ratio: median (min-max) |");
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
