package dev.minnow.testkit;

import dev.minnow.conformance.CorpusCase;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.ModelWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM cases for the C reference: the Java side of a case (a one-op model with constant
 * weights and biases, variable states carrying the case's initial bytes, invoked {@code invokes} times in a row)
 * and the corpus's cases (every input set, and every sequence as one case with {@code attr invokes}).
 */
public final class LstmCases {
    public static final String OP = "UNIDIRECTIONAL_SEQUENCE_LSTM";

    /** TFLM's 24 inputs, in order (lstm_shared.h); the spec's role names. */
    public static final String[] ROLES = {
        "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights",
        "input_to_output_weights", "recurrent_to_input_weights", "recurrent_to_forget_weights",
        "recurrent_to_cell_weights", "recurrent_to_output_weights", "cell_to_input_weights",
        "cell_to_forget_weights", "cell_to_output_weights", "input_gate_bias", "forget_gate_bias",
        "cell_gate_bias", "output_gate_bias", "projection_weights", "projection_bias", "output_state",
        "cell_state", "input_layer_norm_coefficients", "forget_layer_norm_coefficients",
        "cell_layer_norm_coefficients", "output_layer_norm_coefficients",
    };
    public static final int OUTPUT_STATE = 18, CELL_STATE = 19;

    private LstmCases() {}

    /** The frame shape: the case's input/output shape with the first dimension divided by the invoke count. */
    private static int[] frame(int[] shape, int invokes) {
        int[] s = shape.clone();
        s[0] /= invokes;
        return s;
    }

    /** The Java engine's output bytes: all frames' outputs back to back. */
    public static byte[] runJava(CReference.Case c) { return runJava(c, new InterpreterOptions()); }

    /** The same on an interpreter with {@code options} (fast kernels on or off). */
    public static byte[] runJava(CReference.Case c, InterpreterOptions interpreterOptions) {
        Map<String, CReference.TensorSpec> byRole = new HashMap<>();
        for (CReference.TensorSpec t : c.tensors()) byRole.put(t.name(), t);
        int invokes = c.attrs().getOrDefault("invokes", 1.0).intValue();
        ModelWriter b = new ModelWriter();
        int[] in = new int[ROLES.length];
        for (int k = 0; k < ROLES.length; k++) {
            CReference.TensorSpec t = byRole.get(ROLES[k]);
            if (t == null || t.type() == null) { in[k] = -1; continue; }
            if (k == 0) in[k] = b.addTensor(t.name(), t.type(), frame(t.shape(), invokes), t.quantization());
            else if (k == OUTPUT_STATE || k == CELL_STATE) in[k] = b.addVariable(t.name(), t.type(), t.shape(), t.quantization());
            else in[k] = b.addConstant(t.name(), t.type(), t.shape(), t.quantization(), t.data());
        }
        CReference.TensorSpec o = byRole.get("output");
        int out = b.addTensor("output", o.type(), frame(o.shape(), invokes), o.quantization());
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("fusedActivationFunction", c.attrs().getOrDefault("activation", 0.0).intValue());
        options.put("cellClip", c.attrs().getOrDefault("cell_clip", 0.0).floatValue());
        options.put("projClip", c.attrs().getOrDefault("proj_clip", 0.0).floatValue());
        options.put("timeMajor", c.attrs().getOrDefault("time_major", 0.0) != 0.0);
        b.addOperator(OP, 1, in, new int[] {out}, "UnidirectionalSequenceLSTMOptions", options);
        b.setInputs(in[0]).setOutputs(out);
        try (Interpreter interp = new Interpreter(Model.load(b.build()), interpreterOptions)) {   // ends its threads
            interp.allocateTensors();
            for (int k : new int[] {OUTPUT_STATE, CELL_STATE}) {
                byte[] init = byRole.get(ROLES[k]).data();
                if (init != null && init.length > 0) interp.getTensor(in[k]).copyFrom(init);
            }
            byte[] input = byRole.get("input").data();
            int frameBytes = input.length / invokes;
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int f = 0; f < invokes; f++) {
                interp.getInputTensor(0).copyFrom(Arrays.copyOfRange(input, f * frameBytes, (f + 1) * frameBytes));
                interp.invoke();
                all.writeBytes(interp.getOutputTensor(0).toByteArray());
            }
            return all.toByteArray();
        }
    }

    /**
     * Adds the corpus's accepted LSTM cases: one case per input set (fresh state) and one per sequence (state
     * carried over its frames). Returns the number of corpus cases skipped.
     */
    @SuppressWarnings("unchecked")
    public static int addCorpusCases(Path corpus, List<CReference.Case> cases, Map<String, byte[]> expected) throws IOException {
        Path opDir = corpus.resolve("ops").resolve(OP);
        if (!Files.isDirectory(opDir)) return 0;
        List<Path> dirs;
        try (Stream<Path> s = Files.list(opDir)) { dirs = s.sorted().toList(); }
        int skipped = 0;
        for (Path dir : dirs) {
            CorpusCase c = CorpusCase.read(dir);
            if (c.expectsError()) continue;
            SubgraphInfo g = Model.load(dir.resolve("model.tflite")).mainSubgraph();
            OperatorInfo node = g.operators().get(0);
            if (g.operators().size() != 1 || node.inputCount() != ROLES.length || g.inputs().length != 1) { skipped++; continue; }
            Map<String, Double> attrs = new LinkedHashMap<>();
            attrs.put("activation", (double) node.options().getInt("fusedActivationFunction", 0));
            attrs.put("cell_clip", (double) node.options().getFloat("cellClip", 0f));
            attrs.put("proj_clip", (double) node.options().getFloat("projClip", 0f));
            attrs.put("time_major", node.options().getBool("timeMajor", false) ? 1.0 : 0.0);
            List<CorpusCase.Sequence> runs = new ArrayList<>();
            for (CorpusCase.InputSet set : c.sets()) runs.add(new CorpusCase.Sequence(set.id(), 1, set.inputs(), set.outputs()));
            runs.addAll(c.sequences());
            for (CorpusCase.Sequence run : runs) {
                int invokes = run.frames();
                byte[] inputData = Files.readAllBytes(dir.resolve(run.inputs().get(0)));
                List<CReference.TensorSpec> tensors = new ArrayList<>();
                for (int k = 0; k < ROLES.length; k++) {
                    int ti = node.input(k);
                    if (ti < 0) { tensors.add(new CReference.TensorSpec(ROLES[k], null, new int[0], null, null)); continue; }
                    TensorInfo t = g.tensor(ti);
                    byte[] data;
                    int[] shape = t.shape();
                    if (k == 0) {
                        data = inputData;
                        shape = shape.clone();
                        shape[0] *= invokes;
                    } else if (t.isVariable() && !t.isConstant()) {
                        // TFLM's initial state: int8 holds the zero point, other types zero
                        data = new byte[(int) t.byteSize()];
                        if (t.type() == DataType.INT8) Arrays.fill(data, (byte) t.quantization().zeroPoint());
                    } else {
                        data = t.constantData();
                    }
                    tensors.add(new CReference.TensorSpec(ROLES[k], t.type(), shape, t.quantization(), data));
                }
                TensorInfo out = g.tensor(node.output(0));
                int[] outShape = out.shape().clone();
                outShape[0] *= invokes;
                tensors.add(new CReference.TensorSpec("output", out.type(), outShape, out.quantization(), null));
                Map<String, Double> a = new LinkedHashMap<>(attrs);
                if (invokes > 1) a.put("invokes", (double) invokes);
                String name = dir.getFileName() + "_" + run.id();
                cases.add(new CReference.Case(name, OP, a, tensors));
                expected.put(name, Files.readAllBytes(dir.resolve(run.outputs().get(0))));
            }
        }
        return skipped;
    }
}
