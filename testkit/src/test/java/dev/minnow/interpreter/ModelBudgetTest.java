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
        long heap = allocatedBytes(() -> messageNames(rejectedByACheck(model), "ADD", "node 0", "16777216"));
        assertTrue(heap < 16L << 20, "refusing a " + model.length + "-byte model cost " + heap + " bytes of heap");
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
        assertDoesNotThrow(() -> new Interpreter(Model.load(model)).allocateTensors());
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
        // 18,003 buffers, near the default limit: the bookkeeping around the greedy placement is linear (it was three
        // loops over every scratch request per node), the placement itself is TFLM's, quadratic, bounded by the budget
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> new Interpreter(Model.load(model)).allocateTensors());
    }

    @Test
    void tooManyOperatorsOrPlannedBuffersAreRefusedBeforePlanning() {
        var e = rejectedByACheck(manyMeans(25_000));
        assertTrue(e instanceof dev.minnow.BudgetExceededException be && be.requested() == 25_000 && be.limit() == 20_000, e.toString());
        var budget = new ModelBudget(1 << 20, 4, 100_000, 1000, 1_000_000, 5_000, 1 << 20, 1 << 20, 1000);
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
}
