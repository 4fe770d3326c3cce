package dev.minnow.interpreter;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.testkit.Corpus;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * invoke() only moves data: after warm-up, repeated invokes allocate nothing on the Java heap (fast kernels on, as by
 * default; the dense, convolution and depthwise models run their fast loops). With {@code --add-modules
 * jdk.incubator.vector} (-Pvector-api) the same holds once C2 has compiled the Vector API kernels: interpreted and C1
 * code boxes every vector, and a kernel called a few times per invoke takes thousands of invokes (person_detect: about
 * 3,000, 10 s here) to reach C2, so the warm-up then runs on for up to {@link #VECTOR_WARM_UP_NANOS}. A vector that C2
 * leaves boxed allocates on every invoke and still fails.
 */
class InvokeAllocationTest {
    /** The longest warm-up with the Vector API module (the default path needs no more than 40 rounds). */
    private static final long VECTOR_WARM_UP_NANOS = 60_000_000_000L;
    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equalsIgnoreCase(System.getProperty("minnow.vectorApi"));

    @ParameterizedTest
    @ValueSource(strings = {"models/tflm-person_detect", "models/tflm-hello_world_float", "models/tflm-mnist_lstm_int8",
            "models/tflm-dtln_noise_suppression", "models/mlperftiny-kws_ref_model", "detectors/conv_ae_i8",
            "models/seanet-transpose_conv0", "models/tflm-keyword_scrambled_8bit", "models/tflm-audio_preprocessor_int8",
            "models/tflm-audio_preprocessor_float", "models/mlperftiny-ad_model_ToyCar_quant_fullint_micro",
            "models/mlperftiny-vww_96_float", "models/mlperftiny-ic_pretrainedResnet",
            // issue 12: comparisons, logic, math
            "ops/EQUAL/equal_int8_002", "ops/LOGICAL_AND/logical_and_bool_003", "ops/REDUCE_MAX/reduce_max_int8_003",
            "ops/REDUCE_ALL/reduce_all_bool_002", "ops/COS/cos_float32_003", "ops/ELU/elu_int8_003", "ops/PRELU/prelu_int8_003",
            "ops/FLOOR_MOD/floor_mod_float32_003", "ops/ADD_N/add_n_int8_003", "ops/LOG_SOFTMAX/log_softmax_int8_004",
            "ops/L2_NORMALIZATION/l2norm_int8_003", "ops/L2_POOL_2D/l2pool_float32_005",
            // issue 16: the fast kernels of ADD/SUB/MUL, pooling, STRIDED_SLICE and LEAKY_RELU
            "ops/ADD/add_int16_001", "ops/SUB/sub_float32_001", "ops/MUL/mul_int8_003", "ops/MAX_POOL_2D/maxpool_int8_002",
            "ops/AVERAGE_POOL_2D/avgpool_float32_001", "ops/STRIDED_SLICE/strided_slice_int16_000",
            "ops/LEAKY_RELU/leaky_relu_int8_001", "models/seanet-leaky_relu1", "models/seanet-strided_slice1",
            "models/seanet-sub0", "models/tflm-simple_add_model", "models/tflm-mnist_lstm_float"})
    void invokeAllocatesNothing(String caseDir) throws Exception {
        Path corpus = Corpus.require();
        var bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter unavailable");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Interpreter interp = new Interpreter(Model.load(corpus.resolve(caseDir).resolve("model.tflite")));
        interp.allocateTensors();
        assertInvokesAllocateNothing(threads, interp, caseDir);
    }

    /**
     * Float ADD/SUB/MUL with one operand a constant (in the model's buffer, the other in the arena), over three of the
     * chunked loop's 1,024-value chunks, with and without ReLU: a reader shared by operands in different arrays made a
     * new buffer view per chunk (found by SubgraphTest's while_nested_if; the corpus models' ADDs read two arena tensors).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ADD:0", "ADD:1", "SUB:1", "MUL:0", "MUL:1"})
    void floatArithmeticWithAConstantOperandAllocatesNothing(String opAndActivation) {
        var bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter unavailable");
        String op = opAndActivation.split(":")[0];
        int activation = Integer.parseInt(opAndActivation.split(":")[1]), n = 3000;
        byte[] k = new byte[4 * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) dev.minnow.util.LittleEndian.putFloat(k, 4 * i, (float) r.nextDouble(-2, 2));
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1, n}, null);
        int c = b.addConstant("k", DataType.FLOAT32, new int[] {1, n}, null, k);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {1, n}, null);
        String options = op.charAt(0) + op.substring(1).toLowerCase() + "Options";
        b.addOperator(op, 1, new int[] {x, c}, new int[] {y}, options, Map.of("fusedActivationFunction", activation));
        b.setInputs(x).setOutputs(y);
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        byte[] in = new byte[4 * n];
        for (int i = 0; i < n; i++) dev.minnow.util.LittleEndian.putFloat(in, 4 * i, (float) r.nextDouble(-2, 2));
        interp.getInputTensor(0).copyFrom(in);
        assertInvokesAllocateNothing((com.sun.management.ThreadMXBean) bean, interp, op + " with a constant, activation " + activation);
    }

    private static void assertInvokesAllocateNothing(com.sun.management.ThreadMXBean threads, Interpreter interp, String what) {
        long id = Thread.currentThread().getId();
        // Warm up until the JIT settles, then require several consecutive rounds with no allocation at all: a
        // per-invoke allocation would show in every round, JIT and class-loading noise does not repeat.
        int quiet = 0;
        long last = -1, start = System.nanoTime();
        for (int round = 0; quiet < 3 && (round < 40 || VECTOR_API && System.nanoTime() - start < VECTOR_WARM_UP_NANOS); round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 10; i++) interp.invoke();
            last = threads.getThreadAllocatedBytes(id) - before;
            quiet = last == 0 ? quiet + 1 : 0;
        }
        assertEquals(0, last, what + ": 10 invokes still allocated " + last + " bytes after warm-up");
    }
}
