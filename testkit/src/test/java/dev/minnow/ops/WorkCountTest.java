package dev.minnow.ops;

import dev.minnow.MinnowException;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OpCode;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.WorkCount;
import dev.minnow.testkit.Corpus;
import dev.minnow.testkit.CustomOpModels;
import dev.minnow.testkit.TflmCase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ops table's work counts (what cost models and {@code minnow analyze} use), hand-computed one family at a time;
 * the numbers in the comments are the derivations.
 */
class WorkCountTest {

    /** A tiny graph builder: tensors by shape, constants by flag. */
    private static final class G {
        final List<TensorInfo> tensors = new ArrayList<>();

        int t(DataType type, int... shape) { return add(type, false, shape); }
        int c(DataType type, int... shape) { return add(type, true, shape); }

        private int add(DataType type, boolean constant, int... shape) {
            long n = 1;
            for (int d : shape) n *= d;
            byte[] data = constant ? new byte[(int) (n * type.byteSize())] : null;
            int i = tensors.size();
            tensors.add(new TensorInfo(i, "t" + i, type, shape, new int[0], Quantization.NONE, false, 0, data, false));
            return i;
        }

        WorkCount work(String op, Map<String, Object> options, int[] inputs, int... outputs) {
            OperatorInfo info = new OperatorInfo(0, new OpCode(0, op, null, 1), inputs, outputs, new int[0],
                    new BuiltinOptions(op + "Options", options), new byte[0]);
            SubgraphInfo g = new SubgraphInfo(0, "", tensors, List.of(info), new int[0], new int[0]);
            return Ops.find(info.opCode()).work().of(info, g);
        }
    }

    private static final DataType I8 = DataType.INT8, F32 = DataType.FLOAT32, I32 = DataType.INT32;

    private static Map<String, Object> conv(int padding, int stride, int dilation) {
        Map<String, Object> m = new HashMap<>();
        m.put("padding", padding);
        m.put("strideH", stride);
        m.put("strideW", stride);
        m.put("dilationHFactor", dilation);
        m.put("dilationWFactor", dilation);
        m.put("depthMultiplier", 2);
        return m;
    }

    @Test
    void fullyConnected() {
        G g = new G();
        // 640 -> 128: 640 * 128 = 81,920 MACs
        assertEquals(new WorkCount(81_920, 0), g.work("FULLY_CONNECTED", Map.of(),
                new int[] {g.t(I8, 1, 640), g.c(I8, 128, 640), g.c(I32, 128)}, g.t(I8, 1, 128)));
        // three rows of 640 -> 10: 3 * 10 * 640
        assertEquals(new WorkCount(19_200, 0), g.work("FULLY_CONNECTED", Map.of(),
                new int[] {g.t(F32, 3, 640), g.c(F32, 10, 640), -1}, g.t(F32, 3, 10)));
    }

    @Test
    void conv2dSkipsPaddingTaps() {
        G g = new G();
        // SAME 3x3 stride 1 on 4x4: in-image taps per output row 2,3,3,2 = 10 (same for columns);
        // 10 * 10 * 2 input channels * 3 output channels = 600 (a nominal count would say 16*9*2*3 = 864)
        assertEquals(600, g.work("CONV_2D", conv(0, 1, 1),
                new int[] {g.t(I8, 1, 4, 4, 2), g.c(I8, 3, 3, 3, 2), g.c(I32, 3)}, g.t(I8, 1, 4, 4, 3)).macs());
        // SAME 3x3 stride 2 on 4x4: output 2, total padding (2-1)*2+3-4 = 1 -> 0 before; taps 3 + 2 = 5 per dim
        assertEquals(5 * 5 * 2 * 3, g.work("CONV_2D", conv(0, 2, 1),
                new int[] {g.t(I8, 1, 4, 4, 2), g.c(I8, 3, 3, 3, 2), -1}, g.t(I8, 1, 2, 2, 3)).macs());
        // SAME 3x3 dilation 2 on 5x5: effective 5, pad 2; taps per output 2,2,3,2,2 = 11
        assertEquals(11 * 11, g.work("CONV_2D", conv(0, 1, 2),
                new int[] {g.t(F32, 1, 5, 5, 1), g.c(F32, 1, 3, 3, 1), -1}, g.t(F32, 1, 5, 5, 1)).macs());
        // VALID 3x3 stride 2 on 5x5: 2 outputs, 3 taps each: 6 * 6; grouped: depth 4 = 2 groups of filter depth 2
        assertEquals(6 * 6 * 2 * 4, g.work("CONV_2D", conv(1, 2, 1),
                new int[] {g.t(I8, 2 / 2, 5, 5, 4), g.c(I8, 4, 3, 3, 2), -1}, g.t(I8, 1, 2, 2, 4)).macs());
        // batch of 2 doubles it; 1x1 conv = pixels * in * out
        assertEquals(2 * 25 * 8 * 16, g.work("CONV_2D", conv(1, 1, 1),
                new int[] {g.t(I8, 2, 5, 5, 8), g.c(I8, 16, 1, 1, 8), -1}, g.t(I8, 2, 5, 5, 16)).macs());
    }

    @Test
    void depthwiseConv() {
        G g = new G();
        // SAME 3x3 stride 1 on 5x5: taps 2+3+3+3+2 = 13 per dim; 169 * 4 output channels (2 in x multiplier 2)
        assertEquals(new WorkCount(676, 0), g.work("DEPTHWISE_CONV_2D", conv(0, 1, 1),
                new int[] {g.t(I8, 1, 5, 5, 2), g.c(I8, 1, 3, 3, 4), g.c(I32, 4)}, g.t(I8, 1, 5, 5, 4)));
    }

    @Test
    void transposeConv() {
        G g = new G();
        Map<String, Object> same = conv(0, 2, 1), valid = conv(1, 2, 1);
        // 2x2 -> 4x4, 3x3 stride 2 SAME: padding from out 4: (2-1)*2+3-4 = 1 -> 0 before; input row 0 scatters to
        // 0,1,2 (3 in image), row 1 to 2,3,4 (2): 5 per dim -> 25 * 1 * 1
        assertEquals(25, g.work("TRANSPOSE_CONV", same,
                new int[] {g.c(I32, 4), g.c(F32, 1, 3, 3, 1), g.t(F32, 1, 2, 2, 1)}, g.t(F32, 1, 4, 4, 1)).macs());
        // VALID 2x2 -> 5x5: every tap lands: 2*3 per dim -> 36 * 2 input * 3 output channels
        assertEquals(36 * 2 * 3, g.work("TRANSPOSE_CONV", valid,
                new int[] {g.c(I32, 4), g.c(I8, 3, 3, 3, 2), g.t(I8, 1, 2, 2, 2), -1}, g.t(I8, 1, 5, 5, 3)).macs());
    }

    @Test
    void svdf() {
        G g = new G();
        // batch 2, input 3, 4 filters (rank 2 -> 2 units), memory 5:
        // MACs 2*4*(3+5) = 64; element ops 2*4*5 shift + 2*4 rank sum + 2*2 output = 52
        assertEquals(new WorkCount(64, 52), g.work("SVDF", Map.of("rank", 2),
                new int[] {g.t(I8, 2, 3), g.c(I8, 4, 3), g.c(DataType.INT16, 4, 5), g.c(I32, 2), g.t(DataType.INT16, 2, 20)},
                g.t(I8, 2, 2)));
    }

    @Test
    void lstm() {
        G g = new G();
        int[] in = new int[24];
        java.util.Arrays.fill(in, -1);
        in[0] = g.t(F32, 1, 10, 3);
        for (int i = 1; i <= 4; i++) in[i] = g.c(F32, 4, 3);
        for (int i = 5; i <= 8; i++) in[i] = g.c(F32, 4, 4);
        // 10 steps x batch 1, 4 cells, 3 inputs: MACs 10 * 4 gates * 4 * (3 + 4) = 1,120; element ops 10 * 4 * 13 = 520
        assertEquals(new WorkCount(1_120, 520), g.work("UNIDIRECTIONAL_SEQUENCE_LSTM", Map.of("cellClip", 0f), in, g.t(F32, 1, 10, 4)));
        // a cell clip adds one pass: 10 * 4 * 14
        assertEquals(560, g.work("UNIDIRECTIONAL_SEQUENCE_LSTM", Map.of("cellClip", 3f), in, g.t(F32, 1, 10, 4)).elementOps());
    }

    @Test
    void batchMatMul() {
        G g = new G();
        // [2,3,4] x [2,4,5] -> [2,3,5]: 30 outputs * depth 4
        assertEquals(new WorkCount(120, 0), g.work("BATCH_MATMUL", Map.of(),
                new int[] {g.t(F32, 2, 3, 4), g.t(F32, 2, 4, 5)}, g.t(F32, 2, 3, 5)));
        // adj_x: lhs [2,4,3] read transposed, still depth 4
        assertEquals(new WorkCount(120, 0), g.work("BATCH_MATMUL", Map.of("adjX", true),
                new int[] {g.t(F32, 2, 4, 3), g.t(F32, 2, 4, 5)}, g.t(F32, 2, 3, 5)));
    }

    @Test
    void pooling() {
        G g = new G();
        Map<String, Object> valid2 = new HashMap<>(conv(1, 2, 1)), same3 = new HashMap<>(conv(0, 1, 1));
        valid2.put("filterHeight", 2);
        valid2.put("filterWidth", 2);
        same3.put("filterHeight", 3);
        same3.put("filterWidth", 3);
        // 2x2 stride 2 VALID on 4x4x3: every input once = 48
        assertEquals(new WorkCount(0, 48), g.work("AVERAGE_POOL_2D", valid2, new int[] {g.t(I8, 1, 4, 4, 3)}, g.t(I8, 1, 2, 2, 3)));
        // 3x3 stride 1 SAME on 4x4x3: 10 * 10 * 3 = 300
        assertEquals(new WorkCount(0, 300), g.work("MAX_POOL_2D", same3, new int[] {g.t(I8, 1, 4, 4, 3)}, g.t(I8, 1, 4, 4, 3)));
        // L2 pooling visits the same taps: 300
        assertEquals(new WorkCount(0, 300), g.work("L2_POOL_2D", same3, new int[] {g.t(F32, 1, 4, 4, 3)}, g.t(F32, 1, 4, 4, 3)));
    }

    @Test
    void softmaxReductionsAndElementwise() {
        G g = new G();
        assertEquals(new WorkCount(0, 30), g.work("SOFTMAX", Map.of(), new int[] {g.t(I8, 1, 10)}, g.t(I8, 1, 10)));
        // LOG_SOFTMAX: max, sum of exponentials, output: 3 * 10
        assertEquals(new WorkCount(0, 30), g.work("LOG_SOFTMAX", Map.of(), new int[] {g.t(F32, 1, 10)}, g.t(F32, 1, 10)));
        // ADD_N of three [6]: each output sums its three inputs from 0, 6 * 3 = 18
        assertEquals(new WorkCount(0, 18), g.work("ADD_N", Map.of(), new int[] {g.t(F32, 6), g.t(F32, 6), g.t(F32, 6)}, g.t(F32, 6)));
        // REDUCE_MAX over all of [3,4] into [1]: every input once = 12
        assertEquals(new WorkCount(0, 12), g.work("REDUCE_MAX", Map.of(), new int[] {g.t(I8, 3, 4), g.c(I32, 2)}, g.t(I8, 1)));
        assertEquals(new WorkCount(0, 640), g.work("MEAN", Map.of(), new int[] {g.t(F32, 1, 640), g.c(I32, 1)}, g.t(F32, 1)));
        assertEquals(new WorkCount(0, 12), g.work("ARG_MIN", Map.of(), new int[] {g.t(I8, 3, 4), g.c(I32, 1)}, g.t(I32, 3)));
        assertEquals(new WorkCount(0, 12), g.work("ARG_MAX", Map.of(), new int[] {g.t(F32, 3, 4), g.c(I32, 1)}, g.t(I32, 3)));
        assertEquals(new WorkCount(0, 4096), g.work("ADD", Map.of(),
                new int[] {g.t(I8, 1, 8, 8, 64), g.t(I8, 1, 8, 8, 64)}, g.t(I8, 1, 8, 8, 64)));
        assertEquals(new WorkCount(0, 640), g.work("QUANTIZE", Map.of(), new int[] {g.t(F32, 1, 640)}, g.t(I8, 1, 640)));
        assertEquals(new WorkCount(0, 64), g.work("RESHAPE", Map.of(), new int[] {g.t(I8, 1, 1, 1, 64), g.c(I32, 2)}, g.t(I8, 1, 64)));
        // SPLIT into two [1,5]: both outputs are written
        assertEquals(new WorkCount(0, 10), g.work("SPLIT", Map.of(), new int[] {g.c(I32), g.t(F32, 1, 10)}, g.t(F32, 1, 5), g.t(F32, 1, 5)));
    }

    @Test
    void signalRfftCountsButterflies() throws IOException {
        Model m = Model.load(Corpus.require().resolve("models/tflm-audio_preprocessor_int8/model.tflite"));
        SubgraphInfo g = m.mainSubgraph();
        OperatorInfo rfft = g.operators().stream().filter(o -> o.opCode().displayName().equals("CUSTOM:SignalRfft"))
                .findFirst().orElseThrow();
        TensorInfo in = g.tensor(rfft.input(0));
        TensorInfo out = g.tensor(rfft.output(0));
        // the audio front end: one frame padded to a 512-point FFT (257 complex outputs, interleaved)
        assertEquals(514, out.dim(out.rank() - 1));
        long frames = in.elementCount() / in.dim(in.rank() - 1);
        assertEquals(new WorkCount(0, frames * 512 * 9), Ops.find(rfft.opCode()).work().of(rfft, g));
    }

    @Test
    void mlperfTinyAnomalyModelTotals264192() throws IOException {
        Model m = Model.load(Corpus.require().resolve("models/mlperftiny-ad_model_ToyCar_quant_fullint_micro/model.tflite"));
        long macs = 0;
        for (OperatorInfo op : m.mainSubgraph().operators()) macs += Ops.find(op.opCode()).work().of(op, m.mainSubgraph()).macs();
        // 640*128 + 3*128*128 + 128*8 + 8*128 + 3*128*128 + 128*640
        assertEquals(264_192, macs);
    }

    /** Every accepted corpus case of every op the engine registers gets a count without failing. */
    @Test
    void everyRegisteredOpOfTheCorpusIsCounted() throws IOException {
        TreeSet<String> seen = new TreeSet<>();
        TreeSet<String> registered = new TreeSet<>(Ops.all().keySet());
        List<Path> models = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Corpus.require(), 4)) {
            s.filter(p -> p.getFileName().toString().equals("model.tflite")).forEach(models::add);
        }
        List<Model> loaded = new ArrayList<>();
        for (Path p : models) {
            if (Files.readString(p.resolveSibling("case.json")).contains("\"expect\": \"error\"")) continue;
            try {
                loaded.add(Model.load(p));
            } catch (MinnowException e) {
                // TFLM accepted it but the loader refuses it: ConformanceTest judges that
            }
        }
        // the custom ops TFLM ships without corpus cases come from the models recorded with tflm_run
        for (TflmCase c : CustomOpModels.cases()) loaded.add(Model.load(c.model()));
        for (Model m : loaded) {
            for (SubgraphInfo g : m.subgraphs()) {
                for (OperatorInfo op : g.operators()) {
                    String name = op.opCode().displayName();
                    if (!registered.contains(name)) continue;
                    WorkCount w = Ops.find(op.opCode()).work().of(op, g);
                    assertTrue(w.macs() >= 0 && w.elementOps() >= 0, g.name() + " " + name);
                    seen.add(name);
                }
            }
        }
        TreeSet<String> missing = new TreeSet<>(registered);
        missing.removeAll(seen);
        missing.remove("ARG_MIN"); // the corpus has no ARG_MIN case; softmaxReductionsAndElementwise counts one
        missing.remove("CUSTOM:TFLM_DECODE"); // tflm_run does not register it, so no recorded model; DecodeTest counts one
        assertTrue(missing.isEmpty(), "registered ops without an accepted corpus case: " + missing);
    }
}
