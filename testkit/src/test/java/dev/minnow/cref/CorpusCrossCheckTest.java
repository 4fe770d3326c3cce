package dev.minnow.cref;

import dev.minnow.conformance.CorpusCase;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.Corpus;
import dev.minnow.testkit.DataImageMatmulModels;
import dev.minnow.testkit.LstmCases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The C reference against TFLM's goldens: the corpus's accepted cases of every op in {@link #ROLES} (multi-output ops compare all outputs, concatenated). */
class CorpusCrossCheckTest {
    static final Map<String, String[]> ROLES = withIssue12(Map.ofEntries(
            Map.entry("LOGISTIC", new String[] {"input"}), Map.entry("TANH", new String[] {"input"}),
            Map.entry("RELU", new String[] {"input"}), Map.entry("RELU6", new String[] {"input"}),
            Map.entry("LEAKY_RELU", new String[] {"input"}), Map.entry("SOFTMAX", new String[] {"input"}),
            Map.entry("QUANTIZE", new String[] {"input"}), Map.entry("DEQUANTIZE", new String[] {"input"}),
            Map.entry("FULLY_CONNECTED", new String[] {"input", "filter", "bias"}), Map.entry("CONV_2D", new String[] {"input", "filter", "bias"}),
            Map.entry("DEPTHWISE_CONV_2D", new String[] {"input", "filter", "bias"}), Map.entry("AVERAGE_POOL_2D", new String[] {"input"}),
            Map.entry("MAX_POOL_2D", new String[] {"input"}), Map.entry("ADD", new String[] {"input1", "input2"}),
            Map.entry("SUB", new String[] {"input1", "input2"}), Map.entry("MUL", new String[] {"input1", "input2"}),
            Map.entry("SQUARED_DIFFERENCE", new String[] {"input1", "input2"}), Map.entry("MAXIMUM", new String[] {"input1", "input2"}),
            Map.entry("MINIMUM", new String[] {"input1", "input2"}), Map.entry("MEAN", new String[] {"input", "axis"}),
            Map.entry("SUM", new String[] {"input", "axis"}), Map.entry("TRANSPOSE_CONV", new String[] {"output_shape", "filter", "input", "bias"}),
            Map.entry("RESHAPE", new String[] {"input", "shape"}), Map.entry("SQUEEZE", new String[] {"input"}),
            Map.entry("EXPAND_DIMS", new String[] {"input", "axis"}), Map.entry("TRANSPOSE", new String[] {"input", "perm"}),
            Map.entry("PAD", new String[] {"input", "paddings"}), Map.entry("PADV2", new String[] {"input", "paddings", "constant"}),
            Map.entry("CONCATENATION", new String[0]), Map.entry("ABS", new String[] {"input"}), Map.entry("NEG", new String[] {"input"}),
            Map.entry("FLOOR", new String[] {"input"}), Map.entry("EXP", new String[] {"input"}), Map.entry("SQRT", new String[] {"input"}),
            Map.entry("RSQRT", new String[] {"input"}), Map.entry("HARD_SWISH", new String[] {"input"}),
            Map.entry("GATHER", new String[] {"input", "positions"}), Map.entry("SLICE", new String[] {"input", "begin", "size"}),
            Map.entry("PACK", new String[0]), Map.entry("SELECT_V2", new String[] {"condition", "x", "y"}),
            Map.entry("ARG_MAX", new String[] {"input", "axis"}), Map.entry("CAST", new String[] {"input"}),
            Map.entry("STRIDED_SLICE", new String[] {"input", "begin", "end", "strides"}),
            Map.entry("SVDF", new String[] {"input", "weights_feature", "weights_time", "bias", "state"}),
            Map.entry("SPLIT", new String[] {"axis", "input"}), Map.entry("UNPACK", new String[] {"input"})));

    /** Adds issue 12's data movement, image and matmul ops, whose roles and attrs {@link DataImageMatmulModels} knows. */
    private static Map<String, String[]> withIssue12(Map<String, String[]> roles) {
        Map<String, String[]> all = new HashMap<>(roles);
        all.putAll(DataImageMatmulModels.ROLES);
        return Map.copyOf(all);
    }

    @Test
    @SuppressWarnings("unchecked")
    void cReferenceReproducesTflmOnTheCorpusOpCases() throws Exception {
        Path corpus = Corpus.require();
        List<CReference.Case> cases = new ArrayList<>();
        Map<String, byte[]> expected = new HashMap<>();
        int skipped = 0;
        for (String op : ROLES.keySet()) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(corpus.resolve("ops").resolve(op))) { dirs = s.sorted().toList(); }
            for (Path dir : dirs) {
                CorpusCase c = CorpusCase.read(dir);
                if (c.expectsError()) continue;
                SubgraphInfo g = Model.load(dir.resolve("model.tflite")).mainSubgraph();
                if (!supportedByC(op, g)) { skipped++; continue; }
                OperatorInfo node = g.operators().get(0);
                boolean usable = true;
                for (int k = 0; k < (op.equals("CONCATENATION") || op.equals("PACK") ? node.inputCount() : Math.min(node.inputCount(), ROLES.get(op).length)); k++) {
                    int ti = node.input(k);
                    if (ti >= 0 && !g.tensor(ti).isConstant() && !g.tensor(ti).isVariable() && indexOf(g.inputs(), ti) < 0) usable = false;
                }
                if (!usable) { skipped++; continue; }
                int setIndex = 0;
                for (CorpusCase.InputSet set : c.sets()) {
                    List<String> inputs = set.inputs();
                    List<CReference.TensorSpec> tensors = new ArrayList<>();
                    String[] roles = ROLES.get(op);
                    if (op.equals("CONCATENATION") || op.equals("PACK")) {
                        roles = new String[node.inputCount()];
                        for (int k = 0; k < roles.length; k++) roles[k] = "input" + k;
                    }
                    for (int k = 0; k < roles.length; k++) {
                        int ti = k < node.inputCount() ? node.input(k) : -1;
                        if (ti < 0) { tensors.add(new CReference.TensorSpec(roles[k], null, new int[0], null, null)); continue; }
                        TensorInfo t = g.tensor(ti);
                        int graphInput = indexOf(g.inputs(), ti);
                        if (t.isVariable() && !t.isConstant()) {
                            // fresh state per set, as TFLM resets it: int8 holds the zero point, other types zero
                            byte[] init = new byte[(int) t.byteSize()];
                            if (t.type() == dev.minnow.model.DataType.INT8) java.util.Arrays.fill(init, (byte) t.quantization().zeroPoint());
                            tensors.add(new CReference.TensorSpec(roles[k], t.type(), t.shape(), t.quantization(), init));
                            continue;
                        }
                        byte[] data = t.isConstant() ? t.constantData() : Files.readAllBytes(dir.resolve(inputs.get(graphInput)));
                        if (t.type() == dev.minnow.model.DataType.INT4) {
                            // the C reference takes int4 weights unpacked: low nibble first, sign-extended
                            byte[] unpacked = new byte[(int) t.elementCount()];
                            for (int i = 0; i < unpacked.length; i++) {
                                int b = data[i / 2];
                                unpacked[i] = (byte) ((i & 1) == 0 ? (b << 28) >> 28 : (b << 24) >> 28);
                            }
                            tensors.add(new CReference.TensorSpec(roles[k], dev.minnow.model.DataType.INT8, t.shape(), t.quantization(), unpacked));
                            continue;
                        }
                        tensors.add(new CReference.TensorSpec(roles[k], t.type(), t.shape(), t.quantization(), data));
                    }
                    // multi-output ops name their outputs output0, output1, ...; the C reference prints them concatenated
                    for (int k = 0; k < node.outputCount(); k++) {
                        TensorInfo out = g.tensor(node.output(k));
                        String role = node.outputCount() == 1 ? "output" : "output" + k;
                        tensors.add(new CReference.TensorSpec(role, out.type(), out.shape(), out.quantization(), null));
                    }
                    String name = dir.getFileName() + "_" + setIndex++;
                    Map<String, Double> attrs = new java.util.LinkedHashMap<>();
                    attrs.put("activation", (double) node.options().getInt("fusedActivationFunction", 0));
                    if (op.equals("MEAN") || op.equals("SUM")) {
                        TensorInfo axis = g.tensor(node.input(1));
                        java.nio.ByteBuffer ab = axis.constantBuffer();
                        int count = (int) axis.elementCount();
                        attrs.put("axes", (double) count);
                        for (int k = 0; k < count; k++) attrs.put("axis" + k, (double) ab.getInt(4 * k));
                        attrs.put("keep_dims", node.options().getBool("keepDims", false) ? 1.0 : 0.0);
                    }
                    if (op.equals("CONCATENATION") || op.equals("PACK") || op.equals("GATHER") || op.equals("UNPACK")) attrs.put("axis", (double) node.options().getInt("axis", 0));
                    if (op.equals("GATHER")) attrs.put("batch_dims", (double) node.options().getInt("batchDims", 0));
                    if (op.equals("STRIDED_SLICE")) {
                        attrs.put("begin_mask", (double) node.options().getInt("beginMask", 0));
                        attrs.put("end_mask", (double) node.options().getInt("endMask", 0));
                        attrs.put("shrink_axis_mask", (double) node.options().getInt("shrinkAxisMask", 0));
                    }
                    if (op.equals("TRANSPOSE")) {
                        java.nio.ByteBuffer pb = g.tensor(node.input(1)).constantBuffer();
                        for (int k = 0; k < g.tensor(node.input(1)).elementCount(); k++) attrs.put("perm" + k, (double) pb.getInt(4 * k));
                    }
                    if (op.equals("SVDF")) attrs.put("rank", (double) node.options().getInt("rank", 1));
                    if (DataImageMatmulModels.handles(op)) attrs.putAll(DataImageMatmulModels.attrs(op, node));
                    if (op.equals("SOFTMAX")) attrs.put("beta", (double) node.options().getFloat("beta", 1f));
                    if (op.equals("LEAKY_RELU")) attrs.put("alpha", (double) node.options().getFloat("alpha", 0f));
                    if (op.equals("DEPTHWISE_CONV_2D")) attrs.put("depth_multiplier", (double) node.options().getInt("depthMultiplier", 1));
                    if (op.endsWith("POOL_2D")) {
                        attrs.put("filter_h", (double) node.options().getInt("filterHeight", 1));
                        attrs.put("filter_w", (double) node.options().getInt("filterWidth", 1));
                    }
                    if (op.equals("CONV_2D") || op.equals("DEPTHWISE_CONV_2D") || op.endsWith("POOL_2D") || op.equals("TRANSPOSE_CONV")) {
                        attrs.put("padding", (double) node.options().getInt("padding", 0));
                        attrs.put("stride_h", (double) node.options().getInt("strideH", 1));
                        attrs.put("stride_w", (double) node.options().getInt("strideW", 1));
                        attrs.put("dilation_h", (double) node.options().getInt("dilationHFactor", 1));
                        attrs.put("dilation_w", (double) node.options().getInt("dilationWFactor", 1));
                    }
                    cases.add(new CReference.Case(name, op, attrs, tensors));
                    java.io.ByteArrayOutputStream golden = new java.io.ByteArrayOutputStream();
                    for (int k = 0; k < node.outputCount(); k++) {
                        int graphOutput = indexOf(g.outputs(), node.output(k));
                        golden.writeBytes(Files.readAllBytes(dir.resolve(set.outputs().get(graphOutput))));
                    }
                    expected.put(name, golden.toByteArray());
                }
            }
        }
        skipped += LstmCases.addCorpusCases(corpus, cases, expected); // every input set and sequence
        Map<String, CReference.Outcome> results = CReference.run(cases);
        List<String> mismatches = new ArrayList<>();
        for (CReference.Case c : cases) {
            CReference.Outcome o = results.get(c.name());
            if (o == null || o.output() == null || !Arrays.equals(o.output(), expected.get(c.name()))) {
                mismatches.add(c.name() + (o == null ? " (no result)" : o.error() != null ? " error " + o.error() : " differs"));
            }
        }
        System.out.printf("C reference on the corpus: %d input sets compared, %d cases skipped (types the C reference lacks, or inputs that are neither constants nor model inputs)%n", cases.size(), skipped);
        assertTrue(cases.size() > 200, "expected the corpus's cases, found " + cases.size());
        assertEquals(List.of(), mismatches);
    }

    /** The C reference covers the types the engine takes (the type limits below are the engine's too); some ops need constant parameters. */
    private static boolean supportedByC(String op, SubgraphInfo g) {
        dev.minnow.model.DataType t = g.tensor(g.operators().get(0).input(0)).type();
        dev.minnow.model.DataType o = g.tensor(g.operators().get(0).output(0)).type();
        return switch (op) {
            case "LOGISTIC", "TANH", "RELU", "RELU6", "LEAKY_RELU", "SOFTMAX" ->
                    t == dev.minnow.model.DataType.FLOAT32 || t == dev.minnow.model.DataType.INT8 || t == dev.minnow.model.DataType.INT16;
            case "MEAN", "SUM" -> g.tensor(g.operators().get(0).input(1)).isConstant();
            case "TRANSPOSE" -> g.tensor(g.operators().get(0).input(1)).isConstant();
            case "CAST" -> java.util.Set.of(dev.minnow.model.DataType.FLOAT32, dev.minnow.model.DataType.INT8, dev.minnow.model.DataType.INT16,
                    dev.minnow.model.DataType.INT32, dev.minnow.model.DataType.UINT32, dev.minnow.model.DataType.BOOL).containsAll(java.util.List.of(t, o));
            case "PAD", "PADV2" -> g.tensor(g.operators().get(0).input(1)).isConstant();
            case "ABS" -> t == dev.minnow.model.DataType.FLOAT32 || t == dev.minnow.model.DataType.INT8 || t == dev.minnow.model.DataType.INT16;
            case "NEG", "FLOOR", "EXP", "SQRT" -> t == dev.minnow.model.DataType.FLOAT32;
            case "RSQRT" -> t == dev.minnow.model.DataType.FLOAT32 || t == dev.minnow.model.DataType.INT8 || t == dev.minnow.model.DataType.INT16;
            case "HARD_SWISH" -> t == dev.minnow.model.DataType.FLOAT32 || t == dev.minnow.model.DataType.INT8;
            default -> true;
        };
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }
}
