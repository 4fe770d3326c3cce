package dev.minnow.interpreter;

import dev.minnow.writer.LeArrays;
import dev.minnow.MinnowException;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.SubgraphWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.minnow.interpreter.HostileModelTest.messageNames;
import static dev.minnow.interpreter.HostileModelTest.rejectedByACheck;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ModelBudget}: models whose declared numbers would cost unbounded heap, arena or time are refused before the
 * cost is paid, with the number and the limit in the message (issue 11's reproducers).
 */
class ModelBudgetTest {
    // ---- tables and arenas sized by declared numbers ----

    /** Heap this thread allocates while running {@code r}. */
    static long allocatedBytes(Runnable r) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        r.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    private static byte[] broadcastAdd(int outElements) {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {1}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {outElements}, null);
        b.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        return b.setInputs(x, y).setOutputs(o).build();
    }

    @Test
    void aBroadcastOutputOfSixteenMillionElementsIsRefusedBeforeItsTablesAreBuilt() {
        byte[] model = broadcastAdd(16_777_216);
        // under the trusted budget its 64 MiB output fits the arena cap; the index maps' 128 MiB do not fit the heap's
        long heap = allocatedBytes(() -> messageNames(rejectedByACheck(model, new InterpreterOptions().setBudget(ModelBudget.TRUSTED)),
                "ADD", "node 0", "16777216"));
        assertTrue(heap < 16L << 20, "refusing a " + model.length + "-byte model cost " + heap + " bytes of heap");
    }

    // ---- the default budget scales with the model ----

    /** {@code tensors} float tensors of {@code elements} each, chained by ADDs: their arena adds up, none is large. */
    private static byte[] chainOfAdds(int tensors, int elements) {
        ModelWriter b = new ModelWriter();
        int prev = b.addTensor("t0", DataType.FLOAT32, new int[] {elements}, null);
        int in = prev;
        for (int k = 1; k < tensors; k++) {
            int next = b.addTensor("t" + k, DataType.FLOAT32, new int[] {elements}, null);
            b.addOperator("ADD", 1, new int[] {prev, in}, new int[] {next}, "AddOptions", Map.of("fusedActivationFunction", 0));
            prev = next;
        }
        return b.setInputs(in).setOutputs(prev).build();
    }

    /** The default budget's arena limit for a model of {@code bytes} bytes (the interpreter sizing the arena). */
    private static long defaultArenaLimit(int bytes) { return ModelBudget.DEFAULT.forModel(bytes, 0).maxArenaBytes(); }

    @Test
    void aOneKilobyteModelDeclaringHugeCostsIsRefusedUnderTheDefaultForAFewMegabytes() {
        // one huge tensor (refused before prepare), many mid-size ones (refused before the arena is allocated), and
        // broadcast tables of 6.4 MB for an output inside the arena floor (refused before they are built)
        byte[][] models = {broadcastAdd(16_000_000), chainOfAdds(6, 300_000), broadcastAdd(500_000)};
        String[] limits = {"arena bytes", "arena bytes", "bytes of prepare-time heap"};
        for (int k = 0; k < models.length; k++) {
            byte[] model = models[k];
            assertTrue(model.length <= 1024, model.length + " bytes");
            String resource = limits[k];
            long heap = allocatedBytes(() -> {
                var e = rejectedByACheck(model);
                assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.resource().equals(resource), e.toString());
                var be = (dev.minnow.BudgetExceededException) e;
                assertTrue(be.limit() < 3L << 20, "limit " + be.limit() + " for a " + model.length + "-byte model");
                messageNames(e, String.valueOf(be.requested()), String.valueOf(be.limit()), "ModelBudget.TRUSTED",
                        resource.equals("arena bytes") ? "withMaxArenaBytes" : "withMaxPrepareHeapBytes");
            });
            assertTrue(heap < 3L << 20, "refusing a " + model.length + "-byte model cost " + heap + " bytes of heap");
            // a trusted caller lifts it
            assertDoesNotThrow(() -> new Interpreter(Model.load(model), new InterpreterOptions().setBudget(ModelBudget.UNLIMITED))
                    .allocateTensors(), "model " + k);
        }
        assertTrue(defaultArenaLimit(1024) == (2L << 20) + 64 * 1024, "arena limit " + defaultArenaLimit(1024));
        assertTrue(ModelBudget.DEFAULT.forModel(1024, 0).maxPrepareHeapBytes() == (1L << 20) + 64 * 1024);
        // the caps stay: a 10 MB model gets 64 MiB, not 640 MB
        assertTrue(defaultArenaLimit(10_000_000) == 64L << 20);
        // a declared arena is the caller's choice: the arena limit is the cap, the heap still scales
        assertTrue(ModelBudget.DEFAULT.forModel(1024, 8 << 20).maxArenaBytes() == 64L << 20);
        assertTrue(ModelBudget.TRUSTED.forModel(1024, 0) == ModelBudget.TRUSTED);
        assertTrue(ModelBudget.DEFAULT.forModel(1024, 0).maxPlannedBuffers() == 1_064);
        assertTrue(ModelBudget.DEFAULT.forModel(10_000_000, 0).maxPlannedBuffers() == 20_000);
    }

    @Test
    void everyAllocatableCorpusModelFitsTheDefaultBudget() throws java.io.IOException {
        java.nio.file.Path root = dev.minnow.testkit.Corpus.require();
        int fitted = 0;
        double worstArenaShare = 0;
        String worst = "";
        for (String dir : java.util.List.of("ops", "models", "detectors")) {
            try (var files = java.nio.file.Files.walk(root.resolve(dir))) {
                for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) files.filter(f -> f.getFileName().toString().equals("model.tflite")).sorted()::iterator) {
                    byte[] bytes = java.nio.file.Files.readAllBytes(p);
                    Model model;
                    try {
                        model = Model.load(bytes);
                        new Interpreter(model, new InterpreterOptions().setBudget(ModelBudget.UNLIMITED)).allocateTensors();
                    } catch (MinnowException rejected) {
                        continue; // an error case of the corpus
                    }
                    Interpreter it = new Interpreter(model);
                    try {
                        it.allocateTensors();
                    } catch (dev.minnow.BudgetExceededException e) {
                        throw new AssertionError(root.relativize(p) + " (" + bytes.length + " bytes) does not fit the default budget: " + e.getMessage(), e);
                    }
                    fitted++;
                    ModelBudget limits = ModelBudget.DEFAULT.forModel(bytes.length, 0);
                    double share = Math.max((double) it.arenaBytes() / limits.maxArenaBytes(),
                            (double) it.prepareHeapBytes() / limits.maxPrepareHeapBytes());
                    if (share > worstArenaShare) { worstArenaShare = share; worst = root.relativize(p).toString(); }
                }
            }
        }
        assertTrue(fitted > 1000, fitted + " corpus models allocated");
        // measured: the largest share is well under a half (the floors and the 64 bytes per model byte leave room)
        assertTrue(worstArenaShare < 0.5, worst + " uses " + worstArenaShare + " of its default arena or heap limit");
    }

    @Test
    void aTensorLargerThanTheDeclaredArenaIsRefusedBeforePrepare() {
        byte[] model = broadcastAdd(4_000_000);
        long heap = allocatedBytes(() -> {
            MinnowException e = rejectedByACheck(model, new InterpreterOptions().setArenaSize(65536));
            assertTrue(e instanceof dev.minnow.arena.ArenaTooSmallException, e.toString());
            messageNames(e, "16000000", "65536");
        });
        assertTrue(heap < 4L << 20, "refusing a " + model.length + "-byte model cost " + heap + " bytes of heap");
    }

    @Test
    void thePrepareHeapBudgetIsConfigurable() {
        byte[] model = broadcastAdd(300_000);
        assertDoesNotThrow(() -> new Interpreter(Model.load(model), new InterpreterOptions().setBudget(ModelBudget.TRUSTED)).allocateTensors());
        assertTrue(rejectedByACheck(model) instanceof dev.minnow.BudgetExceededException, "2.4 MB of tables for a 400-byte model");
        var e = rejectedByACheck(model, new InterpreterOptions().setBudget(ModelBudget.DEFAULT.withMaxPrepareHeapBytes(1 << 20)));
        assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.requested() == 2_400_000 && be.limit() == 1 << 20, e.toString());
    }

    // ---- search loops and planning ----


    /** A main subgraph with one ADD and {@code copies} more subgraphs, each holding a variable tensor. */
    private static byte[] repeatedSubgraphs(int copies, int variableElements) {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {4}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {4}, null);
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        b.setInputs(x).setOutputs(o);
        for (int s = 0; s < copies; s++) {
            SubgraphWriter g = b.addSubgraph("copy" + s);
            int v = g.addVariable("v", DataType.FLOAT32, new int[] {variableElements}, null);
            int w = g.addTensor("w", DataType.FLOAT32, new int[] {variableElements}, null);
            g.addOperator("ADD", 1, new int[] {v, v}, new int[] {w}, "AddOptions", Map.of("fusedActivationFunction", 0));
            g.setInputs().setOutputs(w);
        }
        return b.build();
    }

    @Test
    void sixHundredRepeatedSubgraphsTooLargeForTheArenaEndQuickly() {
        byte[] model = repeatedSubgraphs(600, 4096);
        MinnowException e = rejectedByACheck(model, new InterpreterOptions().setArenaSize(1 << 20));
        assertTrue(e instanceof dev.minnow.arena.ArenaTooSmallException, e.toString());
    }

    /** {@code nodes} MEAN nodes over one tensor, each with a scratch request in TFLM's arena. */
    private static byte[] manyMeans(int nodes) {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {4}, null);
        int ax = b.addConstant("ax", DataType.INT32, new int[] {1}, null, LeArrays.ints(0));
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {1}, null);
        for (int i = 0; i < nodes; i++) {
            b.addOperator("MEAN", 1, new int[] {x, ax}, new int[] {o}, "ReducerOptions", Map.of("keepDims", true));
        }
        return b.setInputs(x).setOutputs(o).build();
    }

    @Test
    void planningManyNodesWithScratchBuffersIsNotQuadraticInTheBookkeeping() {
        byte[] model = manyMeans(9_000);
        // 18,003 buffers, near the trusted limit: the bookkeeping around the greedy placement is linear (it was three
        // loops over every scratch request per node), the placement itself is TFLM's, quadratic, bounded by the budget
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new Interpreter(Model.load(model),
                new InterpreterOptions().setBudget(ModelBudget.TRUSTED)).allocateTensors());
        // the default budget scales the planned buffers with the model (1,000 + one per 16 bytes): a model written
        // without shared tables earns them (here 18,003 buffers in a model of over 300 KB); a lower cap refuses it
        assertTrue(ModelBudget.DEFAULT.forModel(model.length, 0).maxPlannedBuffers() >= 18_003, model.length + " bytes");
        var e = rejectedByACheck(model, new InterpreterOptions().setBudget(ModelBudget.DEFAULT.withMaxPlannedBuffers(18_000)));
        assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.resource().equals("planned buffers")
                && be.limit() == 18_000, e.toString());
        messageNames(e, "18003", "withMaxPlannedBuffers");
    }

    @Test
    void tooManyOperatorsOrPlannedBuffersAreRefusedBeforePlanning() {
        var e = rejectedByACheck(manyMeans(25_000));
        assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.requested() == 25_000 && be.limit() == 20_000, e.toString());
        var budget = ModelBudget.TRUSTED.withMaxCounts(4, 100_000, 1000, 1_000_000).withMaxPlannedBuffers(5_000);
        e = rejectedByACheck(manyMeans(6_000), new InterpreterOptions().setBudget(budget));
        assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.requested() == 12_003 && be.resource().equals("planned buffers"), e.toString());
    }

    @Test
    void aWhileLoopThatRunsForBillionsOfIterationsIsStoppedByTheBudget() {
        // WHILE(i < 5) { i += 1 } from i = -2^31: 2^31 iterations, as long as TFLM would spin
        byte[] model = dev.minnow.testkit.ControlFlowModels.cases().stream().filter(c -> c.name().contains("while"))
                .findFirst().orElseThrow().model();
        Interpreter it = new Interpreter(Model.load(model), new InterpreterOptions()
                .setBudget(ModelBudget.DEFAULT.withMaxLoopIterations(10_000)));
        it.allocateTensors();
        it.getInputTensor(0).copyFrom(new int[] {Integer.MIN_VALUE});
        var e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> org.junit.jupiter.api.Assertions.assertThrows(
                dev.minnow.BudgetExceededException.class, it::invoke));
        messageNames(e, "WHILE", "node 0", "10001", "10000");
        it.getInputTensor(0).copyFrom(new int[] {0});
        it.invoke(); // five iterations are well inside it
    }

    /** {@code g}: LESS(i, limit) over its one input i (a WHILE condition). */
    private static void lessThan(SubgraphWriter g, int limit) {
        int i = g.addTensor("i", DataType.INT32, new int[] {1}, null);
        int l = g.addConstant("limit", DataType.INT32, new int[] {1}, null, LeArrays.ints(limit));
        int c = g.addTensor("c", DataType.BOOL, new int[] {1}, null);
        g.addOperator("LESS", 1, new int[] {i, l}, new int[] {c}, null, null);
        g.setInputs(i).setOutputs(c);
    }

    /**
     * WHILE(i < n) { WHILE(j < n from 0) { j += 1 }; i += 1 }: n outer iterations, each running n inner ones, so
     * n + n * n iterations in all while no single loop runs more than n.
     */
    static byte[] nestedWhile(int n) {
        ModelWriter b = new ModelWriter();
        b.main();
        int i = b.addTensor("i", DataType.INT32, new int[] {1}, null);
        int io = b.addTensor("i_out", DataType.INT32, new int[] {1}, null);
        SubgraphWriter outerCond = b.addSubgraph("outer_cond"), outerBody = b.addSubgraph("outer_body");
        SubgraphWriter innerCond = b.addSubgraph("inner_cond"), innerBody = b.addSubgraph("inner_body");
        b.addOperator("WHILE", 1, new int[] {i}, new int[] {io}, "WhileOptions",
                Map.of("condSubgraphIndex", outerCond.index(), "bodySubgraphIndex", outerBody.index()));
        b.setInputs(i).setOutputs(io);
        lessThan(outerCond, n);
        lessThan(innerCond, n);
        int bi = outerBody.addTensor("i", DataType.INT32, new int[] {1}, null);
        int zero = outerBody.addTensor("zero", DataType.INT32, new int[] {1}, null);
        int zeroK = outerBody.addConstant("zero_k", DataType.INT32, new int[] {1}, null, LeArrays.ints(0));
        int j = outerBody.addTensor("j", DataType.INT32, new int[] {1}, null);
        int one = outerBody.addConstant("one", DataType.INT32, new int[] {1}, null, LeArrays.ints(1));
        int bi2 = outerBody.addTensor("i_next", DataType.INT32, new int[] {1}, null);
        outerBody.addOperator("MUL", 1, new int[] {bi, zeroK}, new int[] {zero}, "MulOptions", Map.of("fusedActivationFunction", 0));
        outerBody.addOperator("WHILE", 1, new int[] {zero}, new int[] {j}, "WhileOptions",
                Map.of("condSubgraphIndex", innerCond.index(), "bodySubgraphIndex", innerBody.index()));
        outerBody.addOperator("ADD", 1, new int[] {bi, one}, new int[] {bi2}, "AddOptions", Map.of("fusedActivationFunction", 0));
        outerBody.setInputs(bi).setOutputs(bi2);
        int ij = innerBody.addTensor("j", DataType.INT32, new int[] {1}, null);
        int ione = innerBody.addConstant("one", DataType.INT32, new int[] {1}, null, LeArrays.ints(1));
        int ij2 = innerBody.addTensor("j_next", DataType.INT32, new int[] {1}, null);
        innerBody.addOperator("ADD", 1, new int[] {ij, ione}, new int[] {ij2}, "AddOptions", Map.of("fusedActivationFunction", 0));
        innerBody.setInputs(ij).setOutputs(ij2);
        return b.build();
    }

    @Test
    void nestedWhileLoopsShareOneIterationBudgetPerInvoke() {
        // 1,000 + 1,000,000 iterations, no loop over 1,000 in one eval: a per-loop bound of 10,000 would let it run
        byte[] model = nestedWhile(1000);
        Interpreter it = new Interpreter(Model.load(model), new InterpreterOptions()
                .setBudget(ModelBudget.DEFAULT.withMaxLoopIterations(10_000)));
        it.allocateTensors();
        it.getInputTensor(0).copyFrom(new int[] {0});
        var e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> org.junit.jupiter.api.Assertions.assertThrows(
                dev.minnow.BudgetExceededException.class, it::invoke));
        // the inner WHILE (node 1 of subgraph 2) hits the shared limit on its 10,001st counted iteration
        messageNames(e, "WHILE", "node 1 of subgraph 2", "10001", "10000", "withMaxLoopIterations");
        // the count restarts with every invoke: 9 outer iterations of 1,000 inner ones are 9,009 in all
        it.getInputTensor(0).copyFrom(new int[] {991});
        it.invoke();
        int[] out = new int[1];
        it.getOutputTensor(0).copyTo(out);
        assertTrue(out[0] == 1000, "i = " + out[0]);
        it.getInputTensor(0).copyFrom(new int[] {991});
        assertDoesNotThrow(it::invoke);
    }

    @Test
    void theDetectionPostProcessReservesItsWorkingArrays() {
        // its arrays grow with boxes x classes read from the custom options; they count against the prepare heap
        int boxes = 3000, classes = 90;
        ModelWriter b = new ModelWriter();
        int enc = b.addTensor("box_encodings", DataType.FLOAT32, new int[] {1, boxes, 4}, null);
        int sc = b.addTensor("class_predictions", DataType.FLOAT32, new int[] {1, boxes, classes + 1}, null);
        int anc = b.addConstant("anchors", DataType.FLOAT32, new int[] {boxes, 4}, null, new byte[16 * boxes]);
        int ob = b.addTensor("boxes", DataType.FLOAT32, new int[] {1, 10, 4}, null);
        int oc = b.addTensor("classes", DataType.FLOAT32, new int[] {1, 10}, null);
        int os = b.addTensor("scores", DataType.FLOAT32, new int[] {1, 10}, null);
        int on = b.addTensor("count", DataType.FLOAT32, new int[] {1}, null);
        int INT = dev.minnow.testkit.FlexBufferBuilder.INT, FLOAT = dev.minnow.testkit.FlexBufferBuilder.FLOAT,
                BOOL = dev.minnow.testkit.FlexBufferBuilder.BOOL;
        long one = Float.floatToRawIntBits(1f) & 0xFFFFFFFFL, half = Float.floatToRawIntBits(0.5f) & 0xFFFFFFFFL;
        String[] keys = {"detections_per_class", "h_scale", "max_classes_per_detection", "max_detections", "nms_iou_threshold",
                "nms_score_threshold", "num_classes", "use_regular_nms", "w_scale", "x_scale", "y_scale"};
        long[] values = {3, one, 1, 10, half, half, classes, 0, one, one, one};
        int[] types = {INT, FLOAT, INT, INT, FLOAT, FLOAT, INT, BOOL, FLOAT, FLOAT, FLOAT};
        b.addCustomOperator("TFLite_Detection_PostProcess", 1, new int[] {enc, sc, anc}, new int[] {ob, oc, os, on},
                dev.minnow.testkit.FlexBufferBuilder.map(4, keys, values, types));
        byte[] model = b.setInputs(enc, sc).setOutputs(ob, oc, os, on).build();
        assertDoesNotThrow(() -> new Interpreter(Model.load(model)).allocateTensors());
        var e = rejectedByACheck(model, new InterpreterOptions().setBudget(ModelBudget.DEFAULT.withMaxPrepareHeapBytes(1 << 20)));
        assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.requested() > 1 << 20, e.toString());
        messageNames(e, "TFLite_Detection_PostProcess", "node 0");
    }

    @Test
    void depthwiseNodesSharingOneFilterFallBackToPixelLoopsWhenTheirTiledWeightsExceedTheBudget() {
        // the scalar row form tiles a depthwise filter once per output column (here 9 x 1024 x 64 floats, 2.4 MB per
        // node): 2 KB of shared filter and twenty nodes would ask 47 MB (64 MB of heap measured without the charge); under
        // the default budget of this 5 KB model (about 1.4 MB) the nodes take the pixel form, which gives the same bytes
        int width = 1024, depth = 64, nodes = 20;
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, 1, width, depth}, null);
        float[] weights = new float[9 * depth];
        for (int k = 0; k < weights.length; k++) weights[k] = (k % 7 - 3) / 8f;
        byte[] filter = LeArrays.floats(weights);
        int w = b.addConstant("w", DataType.FLOAT32, new int[] {1, 3, 3, depth}, null, filter);
        int bias = b.addConstant("bias", DataType.FLOAT32, new int[] {depth}, null, new byte[4 * depth]);
        int prev = in;
        for (int k = 0; k < nodes; k++) {
            int next = b.addTensor("t" + k, DataType.FLOAT32, new int[] {1, 1, width, depth}, null);
            b.addOperator("DEPTHWISE_CONV_2D", 1, new int[] {prev, w, bias}, new int[] {next}, "DepthwiseConv2DOptions",
                    Map.of("padding", 0, "strideH", 1, "strideW", 1, "depthMultiplier", 1));
            prev = next;
        }
        byte[] model = b.setInputs(in).setOutputs(prev).build();
        float[] x = new float[width * depth];
        for (int k = 0; k < x.length; k++) x[k] = (k % 13 - 6) / 4f;
        float[][] out = new float[2][width * depth];
        long[] heap = new long[1];
        for (int fast = 0; fast < 2; fast++) {
            int f = fast;
            Interpreter it = new Interpreter(Model.load(model), new InterpreterOptions().setUseFastKernels(f == 1));
            long bytes = allocatedBytes(it::allocateTensors);
            if (f == 1) heap[0] = bytes;
            it.getInputTensor(0).copyFrom(x);
            it.invoke();
            it.getOutputTensor(0).copyTo(out[f]);
        }
        assertTrue(heap[0] < 16L << 20, "allocating " + model.length + " bytes of model took " + heap[0] + " bytes of heap");
        org.junit.jupiter.api.Assertions.assertArrayEquals(out[0], out[1]);
    }
}
