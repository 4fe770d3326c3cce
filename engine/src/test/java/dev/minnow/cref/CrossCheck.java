package dev.minnow.cref;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.ModelBuilder;
import dev.minnow.model.Quantization;

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
 * Runs one single-op case through the Java engine (a model written with ModelBuilder) and through the C reference,
 * and compares the output bytes. A mismatch is saved under src/test/resources/cref-regressions/ (jqwik shrinks
 * before the last save, so the file holds the minimal case) and replayed by {@link CrossCheckRegressionTest}.
 */
final class CrossCheck {
    static final Path REGRESSIONS = Path.of("src/test/resources/cref-regressions");

    private CrossCheck() {}

    /** Inputs in role order (the last tensor is the output); null data marks runtime inputs fed with their data. */
    static String compare(CReference.Case c) throws IOException, InterruptedException {
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
    static byte[] runJava(CReference.Case c) {
        if (OpModels.handles(c.op())) return OpModels.runJava(c);
        ModelBuilder b = new ModelBuilder();
        List<CReference.TensorSpec> ts = c.tensors();
        int[] idx = new int[ts.size()];
        List<Integer> inputs = new ArrayList<>();
        List<byte[]> inputData = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            CReference.TensorSpec t = ts.get(i);
            if (t.type() == null) { idx[i] = -1; continue; }
            boolean isOutput = i == ts.size() - 1;
            boolean weighted = c.op().equals("FULLY_CONNECTED") || c.op().equals("CONV_2D") || c.op().equals("DEPTHWISE_CONV_2D");
            boolean constant = !isOutput && weighted && i > 0;
            idx[i] = constant ? b.addConstant(t.name(), t.type(), t.shape(), t.quantization(), t.data())
                    : b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
            if (!isOutput && !constant) { inputs.add(idx[i]); inputData.add(t.data()); }
        }
        int[] in = Arrays.copyOf(idx, idx.length - 1);
        int out = idx[idx.length - 1];
        Map<String, Object> options = new LinkedHashMap<>();
        String optionsType = switch (c.op()) {
            case "FULLY_CONNECTED" -> "FullyConnectedOptions";
            case "ADD" -> "AddOptions";
            case "SUB" -> "SubOptions";
            case "MUL" -> "MulOptions";
            case "CONV_2D" -> "Conv2DOptions";
            case "DEPTHWISE_CONV_2D" -> "DepthwiseConv2DOptions";
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> "Pool2DOptions";
            case "SOFTMAX" -> "SoftmaxOptions";
            case "LEAKY_RELU" -> "LeakyReluOptions";
            default -> null; // LOGISTIC, TANH, RELU, RELU6, QUANTIZE, DEQUANTIZE
        };
        boolean fused = optionsType != null && !c.op().equals("SOFTMAX") && !c.op().equals("LEAKY_RELU");
        if (fused) options.put("fusedActivationFunction", c.attrs().getOrDefault("activation", 0.0).intValue());
        if (c.op().equals("SOFTMAX")) options.put("beta", c.attrs().getOrDefault("beta", 1.0).floatValue());
        if (c.op().equals("LEAKY_RELU")) options.put("alpha", c.attrs().getOrDefault("alpha", 0.0).floatValue());
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
        b.addOperator(c.op(), 1, in, new int[] {out}, optionsType, options);
        b.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(out);
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        for (int k = 0; k < inputData.size(); k++) interp.getInputTensor(k).copyFrom(inputData.get(k));
        interp.invoke();
        return interp.getOutputTensor(0).toByteArray();
    }

    static Quantization q(float scale, long zp) { return new Quantization(new float[] {scale}, new long[] {zp}, 0); }
}
