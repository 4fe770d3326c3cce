package dev.minnow.testkit;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one single-op case through the Java engine (a model written with ModelWriter) and through the C reference,
 * and compares the output bytes. A mismatch is saved under src/test/resources/cref-regressions/ (jqwik shrinks
 * before the last save, so the file holds the minimal case) and replayed by the tests' {@code dev.minnow.cref.CrossCheckRegressionTest}.
 */
public final class CrossCheck {
    public static final Path REGRESSIONS = Path.of("src/test/resources/cref-regressions");

    private CrossCheck() {}

    /**
     * Inputs in role order, then the output (role {@code output}, or {@code output0 output1 ...} for multi-output ops,
     * whose bytes the C reference prints concatenated); null data marks runtime inputs fed with their data.
     */
    public static String compare(CReference.Case c) throws IOException, InterruptedException {
        byte[] java = runJava(c);
        CReference.Outcome o = CReference.run(List.of(c)).get(c.name());
        String problem = null;
        if (o == null) problem = "no result from the C reference";
        else if (o.output() == null) problem = "C reference error: " + o.error();
        else if (!Arrays.equals(o.output(), java)) problem = "outputs differ: java " + HexFormat.of().formatHex(java) + " c " + HexFormat.of().formatHex(o.output());
        if (problem != null) {
            Files.createDirectories(REGRESSIONS);
            Files.writeString(REGRESSIONS.resolve(c.op().toLowerCase() + "-" + c.name() + ".spec"), c.toSpec());
        }
        return problem;
    }

    /** Builds a model where every tensor with data is a runtime input (so the engine sees it like the C side). */
    public static byte[] runJava(CReference.Case c) {
        if (c.op().equals(LstmCases.OP)) return LstmCases.runJava(c);
        if (OpModels.handles(c.op())) return OpModels.runJava(c);
        if (CustomOpCases.handles(c.op())) return CustomOpCases.runJava(c);
        if (DataImageMatmulModels.handles(c.op())) return DataImageMatmulModels.runJava(c);
        return runJava(c, new InterpreterOptions());
    }

    /**
     * The same for the ops this class builds itself (FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D, elementwise, pooling,
     * ...; weights and biases constant) on an interpreter with {@code interpreterOptions}: fast kernels on or off.
     */
    public static byte[] runJava(CReference.Case c, InterpreterOptions interpreterOptions) {
        ModelWriter b = new ModelWriter();
        List<CReference.TensorSpec> ts = c.tensors();
        List<Integer> opInputs = new ArrayList<>(), outputs = new ArrayList<>();
        List<Integer> inputs = new ArrayList<>();
        List<byte[]> inputData = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            CReference.TensorSpec t = ts.get(i);
            if (t.type() == null) { opInputs.add(-1); continue; }
            boolean isOutput = t.name().matches("output\\d*");
            boolean weighted = c.op().equals("FULLY_CONNECTED") || c.op().equals("CONV_2D") || c.op().equals("DEPTHWISE_CONV_2D");
            boolean constant = !isOutput && ((weighted && i > 0) || (c.op().equals("SPLIT") && t.name().equals("axis")));
            int index = constant ? b.addConstant(t.name(), t.type(), t.shape(), t.quantization(), t.data())
                    : b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
            (isOutput ? outputs : opInputs).add(index);
            if (!isOutput && !constant) { inputs.add(index); inputData.add(t.data()); }
        }
        int[] in = opInputs.stream().mapToInt(Integer::intValue).toArray();
        int[] out = outputs.stream().mapToInt(Integer::intValue).toArray();
        Map<String, Object> options = new LinkedHashMap<>();
        String optionsType = switch (c.op()) {
            case "FULLY_CONNECTED" -> "FullyConnectedOptions";
            case "ADD" -> "AddOptions";
            case "SUB" -> "SubOptions";
            case "MUL" -> "MulOptions";
            case "DIV" -> "DivOptions";
            case "CONV_2D" -> "Conv2DOptions";
            case "DEPTHWISE_CONV_2D" -> "DepthwiseConv2DOptions";
            case "AVERAGE_POOL_2D", "MAX_POOL_2D", "L2_POOL_2D" -> "Pool2DOptions";
            case "SOFTMAX" -> "SoftmaxOptions";
            case "LEAKY_RELU" -> "LeakyReluOptions";
            case "SPLIT" -> "SplitOptions";
            case "UNPACK" -> "UnpackOptions";
            default -> null; // LOGISTIC, TANH, RELU, RELU6, QUANTIZE, DEQUANTIZE
        };
        boolean fused = optionsType != null && !List.of("SOFTMAX", "LEAKY_RELU", "SPLIT", "UNPACK").contains(c.op());
        if (fused) options.put("fusedActivationFunction", c.attrs().getOrDefault("activation", 0.0).intValue());
        if (c.op().equals("SOFTMAX")) options.put("beta", c.attrs().getOrDefault("beta", 1.0).floatValue());
        if (c.op().equals("LEAKY_RELU")) options.put("alpha", c.attrs().getOrDefault("alpha", 0.0).floatValue());
        if (c.op().equals("SPLIT")) options.put("numSplits", out.length);
        if (c.op().equals("UNPACK")) {
            options.put("num", out.length);
            options.put("axis", c.attrs().getOrDefault("axis", 0.0).intValue());
        }
        boolean windowed = c.op().equals("CONV_2D") || c.op().equals("DEPTHWISE_CONV_2D") || c.op().endsWith("POOL_2D");
        if (windowed) {
            options.put("padding", c.attrs().getOrDefault("padding", 0.0).intValue());
            options.put("strideH", c.attrs().getOrDefault("stride_h", 1.0).intValue());
            options.put("strideW", c.attrs().getOrDefault("stride_w", 1.0).intValue());
        }
        if (c.op().equals("CONV_2D") || c.op().equals("DEPTHWISE_CONV_2D")) {
            options.put("dilationHFactor", c.attrs().getOrDefault("dilation_h", 1.0).intValue());
            options.put("dilationWFactor", c.attrs().getOrDefault("dilation_w", 1.0).intValue());
        }
        if (c.op().equals("DEPTHWISE_CONV_2D")) options.put("depthMultiplier", c.attrs().getOrDefault("depth_multiplier", 1.0).intValue());
        if (c.op().endsWith("POOL_2D")) {
            options.put("filterHeight", c.attrs().getOrDefault("filter_h", 1.0).intValue());
            options.put("filterWidth", c.attrs().getOrDefault("filter_w", 1.0).intValue());
        }
        b.addOperator(c.op(), 1, in, out, optionsType, options);
        b.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(out);
        // closed, so that an interpreter with intra-op threads ends them now rather than leaving them to the GC
        try (Interpreter interp = new Interpreter(Model.load(b.build()), interpreterOptions)) {
            interp.allocateTensors();
            for (int k = 0; k < inputData.size(); k++) interp.getInputTensor(k).copyFrom(inputData.get(k));
            interp.invoke();
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int k = 0; k < out.length; k++) bytes.writeBytes(interp.getOutputTensor(k).toByteArray());
            return bytes.toByteArray();
        }
    }

    public static Quantization q(float scale, long zp) { return new Quantization(new float[] {scale}, new long[] {zp}, 0); }
}
