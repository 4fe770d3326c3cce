package dev.minnow.testkit;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import dev.minnow.writer.ModelWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Single-op models for the ops whose TFLM kernels take parameter tensors (axes, permutations, paddings, slice
 * bounds, shapes, weights) as constants, and whose options come from the case's attrs: the Java half of the
 * cross-check for TRANSPOSE_CONV, the reductions, data movement, the miscellaneous binary and unary ops, ARG_MAX/MIN,
 * CAST and SVDF. Roles listed in {@link #CONSTANT_ROLES} become constant tensors, the SVDF state a variable tensor
 * filled with the case's bytes before the step, every other input a runtime input.
 */
public final class OpModels {
    private OpModels() {}

    public static final Set<String> OPS = Set.of("TRANSPOSE_CONV", "MEAN", "SUM", "SQUARED_DIFFERENCE", "MAXIMUM", "MINIMUM", "RESHAPE",
            "SQUEEZE", "EXPAND_DIMS", "TRANSPOSE", "PAD", "PADV2", "CONCATENATION", "STRIDED_SLICE", "SLICE", "GATHER", "PACK",
            "SELECT_V2", "ARG_MAX", "ARG_MIN", "CAST", "ABS", "NEG", "FLOOR", "EXP", "SQRT", "RSQRT", "HARD_SWISH", "SVDF",
            "REDUCE_MAX", "REDUCE_MIN", "REDUCE_ALL");

    public static final Map<String, Set<String>> CONSTANT_ROLES = Map.ofEntries(
            Map.entry("TRANSPOSE_CONV", Set.of("output_shape", "filter", "bias")),
            Map.entry("MEAN", Set.of("axis")), Map.entry("SUM", Set.of("axis")),
            Map.entry("REDUCE_MAX", Set.of("axis")), Map.entry("REDUCE_MIN", Set.of("axis")), Map.entry("REDUCE_ALL", Set.of("axis")),
            Map.entry("RESHAPE", Set.of("shape")), Map.entry("EXPAND_DIMS", Set.of("axis")),
            Map.entry("TRANSPOSE", Set.of("perm")), Map.entry("PAD", Set.of("paddings")), Map.entry("PADV2", Set.of("paddings")),
            Map.entry("STRIDED_SLICE", Set.of("begin", "end", "strides")), Map.entry("SLICE", Set.of("begin", "size")),
            Map.entry("ARG_MAX", Set.of("axis")), Map.entry("ARG_MIN", Set.of("axis")),
            Map.entry("SVDF", Set.of("weights_feature", "weights_time", "bias")));

    public static boolean handles(String op) { return OPS.contains(op); }

    /** The case's single-op model run on an interpreter with the default options; the output's bytes. */
    public static byte[] runJava(CReference.Case c) { return runJava(c, new InterpreterOptions()); }

    /** The same on an interpreter with {@code interpreterOptions} (e.g. fast kernels on or off). */
    public static byte[] runJava(CReference.Case c, InterpreterOptions interpreterOptions) {
        ModelWriter b = new ModelWriter();
        List<CReference.TensorSpec> ts = c.tensors();
        Set<String> constants = CONSTANT_ROLES.getOrDefault(c.op(), Set.of());
        int[] idx = new int[ts.size()];
        List<Integer> inputs = new ArrayList<>();
        List<byte[]> inputData = new ArrayList<>();
        int state = -1;
        byte[] stateData = null;
        for (int i = 0; i < ts.size(); i++) {
            CReference.TensorSpec t = ts.get(i);
            if (t.type() == null) { idx[i] = -1; continue; }
            boolean isOutput = i == ts.size() - 1;
            if (!isOutput && constants.contains(t.name())) {
                idx[i] = b.addConstant(t.name(), t.type(), t.shape(), t.quantization(), t.data());
            } else if (c.op().equals("SVDF") && t.name().equals("state")) {
                idx[i] = state = b.addVariable(t.name(), t.type(), t.shape(), t.quantization());
                stateData = t.data();
            } else {
                idx[i] = b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
                if (!isOutput) { inputs.add(idx[i]); inputData.add(t.data()); }
            }
        }
        int[] in = java.util.Arrays.copyOf(idx, idx.length - 1);
        int out = idx[idx.length - 1];
        Map<String, Double> a = c.attrs();
        Map<String, Object> options = new LinkedHashMap<>();
        String optionsType = switch (c.op()) {
            case "TRANSPOSE_CONV" -> {
                options.put("padding", a.getOrDefault("padding", 0.0).intValue());
                options.put("strideH", a.getOrDefault("stride_h", 1.0).intValue());
                options.put("strideW", a.getOrDefault("stride_w", 1.0).intValue());
                options.put("fusedActivationFunction", a.getOrDefault("activation", 0.0).intValue());
                yield "TransposeConvOptions";
            }
            case "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_ALL" -> {
                options.put("keepDims", a.getOrDefault("keep_dims", 0.0) != 0);
                yield "ReducerOptions";
            }
            case "SQUEEZE" -> {
                int n = a.getOrDefault("squeeze_dims", 0.0).intValue();
                int[] dims = new int[n];
                for (int k = 0; k < n; k++) dims[k] = a.get("squeeze_dim" + k).intValue();
                options.put("squeezeDims", dims);
                yield "SqueezeOptions";
            }
            case "CONCATENATION" -> {
                options.put("axis", a.getOrDefault("axis", 0.0).intValue());
                yield "ConcatenationOptions";
            }
            case "PACK" -> {
                options.put("valuesCount", in.length);
                options.put("axis", a.getOrDefault("axis", 0.0).intValue());
                yield "PackOptions";
            }
            case "GATHER" -> {
                options.put("axis", a.getOrDefault("axis", 0.0).intValue());
                options.put("batchDims", a.getOrDefault("batch_dims", 0.0).intValue());
                yield "GatherOptions";
            }
            case "STRIDED_SLICE" -> {
                options.put("beginMask", a.getOrDefault("begin_mask", 0.0).intValue());
                options.put("endMask", a.getOrDefault("end_mask", 0.0).intValue());
                options.put("shrinkAxisMask", a.getOrDefault("shrink_axis_mask", 0.0).intValue());
                yield "StridedSliceOptions";
            }
            case "ARG_MAX", "ARG_MIN" -> {
                options.put("outputType", ts.get(ts.size() - 1).type() == dev.minnow.model.DataType.INT64 ? 4 : 2);
                yield c.op().equals("ARG_MAX") ? "ArgMaxOptions" : "ArgMinOptions";
            }
            case "SVDF" -> {
                options.put("rank", a.getOrDefault("rank", 1.0).intValue());
                options.put("fusedActivationFunction", a.getOrDefault("activation", 0.0).intValue());
                yield "SVDFOptions";
            }
            default -> null;
        };
        b.addOperator(c.op(), 1, in, new int[] {out}, optionsType, options);
        b.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(out);
        try (Interpreter interp = new Interpreter(Model.load(b.build()), interpreterOptions)) {   // ends its threads
            interp.allocateTensors();
            for (int k = 0; k < inputData.size(); k++) interp.getInputTensor(k).copyFrom(inputData.get(k));
            if (state >= 0 && stateData != null) interp.getTensor(state).copyFrom(stateData);
            interp.invoke();
            return interp.getOutputTensor(0).toByteArray();
        }
    }
}
