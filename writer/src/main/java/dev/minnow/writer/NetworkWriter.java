package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.Dropout;
import dev.minnow.writer.network.Flatten;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;
import dev.minnow.writer.network.Reshape;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a {@link FloatNetwork} into a float32 {@code .tflite} laid out as TFLite's converter lays out the Keras
 * model (batch 1):
 * <ul>
 *   <li>Dense: FULLY_CONNECTED with weights [units, inputs]; on a [T, C] sample with {@code keep_num_dims}
 *       ([1, T, C] to [1, T, units]).</li>
 *   <li>LSTM: UNIDIRECTIONAL_SEQUENCE_LSTM (batch-major, tanh, cell clip 10 as the converter writes for Keras
 *       LSTMs), the Keras kernel split per gate into input-to-gate [units, inputs] and recurrent [units, units]
 *       weights and gate biases, float32 [1, units] output and cell state variables; {@code return_sequences=false}
 *       is the full sequence followed by STRIDED_SLICE of the last step (begin [0,-1,0], begin/end mask 5, shrink
 *       axis mask 2).</li>
 *   <li>Conv1D / Conv1DTranspose: the sample as a [1, 1, T, C] image (one RESHAPE in; consecutive convolutions stay
 *       4-D, as the converter folds the squeeze/expand pairs), CONV_2D / TRANSPOSE_CONV with a 1 x k OHWI kernel
 *       (stride and dilation along W), one RESHAPE back where a non-convolution layer or the output follows.</li>
 *   <li>Dropout: nothing. Flatten, Reshape: RESHAPE (shape tensor with -1 for the batch, no options).</li>
 *   <li>Activations: relu and relu6 fused into the layer; tanh and sigmoid as TANH / LOGISTIC after it.</li>
 * </ul>
 * Input "serving_default_input:0", output "StatefulPartitionedCall:0", signature "serving_default" and
 * {@code min_runtime_version} metadata as the converter writes them.
 */
public final class NetworkWriter {
    /** The converter's cell clip for Keras LSTMs. */
    public static final float LSTM_CELL_CLIP = 10f;
    /** Name of the model input tensor. */
    public static final String INPUT_NAME = "serving_default_input:0";
    /** Name of the model output tensor. */
    public static final String OUTPUT_NAME = "StatefulPartitionedCall:0";

    private final FloatNetwork net;
    private final ModelWriter model = new ModelWriter();
    private final SubgraphWriter g = model.main();
    private final OpBuilder ops = new OpBuilder(g);
    private final Map<String, Integer> layerCounts = new HashMap<>();
    /** The current tensor and its physical shape (batch first; [1, 1, T, C] while in image form). */
    private int current;
    private int[] shape;

    private NetworkWriter(FloatNetwork net) { this.net = net; }

    /** The float32 model's bytes. */
    public static byte[] write(FloatNetwork net) { return build(net).toByteArray(); }

    /** The float32 model, still editable. */
    public static ModelWriter build(FloatNetwork net) { return new NetworkWriter(net).run(); }

    private ModelWriter run() {
        model.setDescription(net.name());
        shape = batched(net.inputShape());
        current = g.addTensor(INPUT_NAME, DataType.FLOAT32, shape, Quantization.NONE);
        int input = current;
        int[] logical = net.inputShape();
        for (Layer layer : net.layers()) {
            int[] next;
            try {
                next = layer.outputShape(logical);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("network '" + net.name() + "' layer " + net.layers().indexOf(layer) + ": " + e.getMessage(), e);
            }
            if (layer instanceof Dense d) dense(d, next);
            else if (layer instanceof Lstm l) lstm(l, logical, next);
            else if (layer instanceof Conv1D c) conv1d(c, next);
            else if (layer instanceof Conv1DTranspose c) conv1dTranspose(c, next);
            else if (layer instanceof Flatten) reshapeTo(batched(next), name("flatten"));
            else if (layer instanceof Reshape) reshapeTo(batched(next), name("reshape"));
            else if (!(layer instanceof Dropout)) throw new IllegalStateException("unhandled layer " + layer.getClass());
            logical = next;
        }
        reshapeTo(batched(logical), name("reshape"));
        if (current == input) throw new IllegalArgumentException("network '" + net.name() + "' computes nothing (only Dropout layers)");
        TensorSpec out = g.tensor(current);
        g.setTensor(current, new TensorSpec(OUTPUT_NAME, out.type(), out.shape(), null, out.quantization(), false, 0, false));
        g.setInputs(input).setOutputs(current);
        model.addSignature("serving_default", 0, Map.of("input", input), Map.of("output_0", current));
        OpVersions.addMinRuntimeVersion(model);
        return model;
    }

    private void dense(Dense d, int[] next) {
        if (shape.length == 4) reshapeTo(new int[] {1, shape[2], shape[3]}, name("reshape"));
        String n = name("dense");
        float[] w = new float[d.units() * d.inputs()];
        float[][] k = d.kernel();
        for (int u = 0; u < d.units(); u++) for (int i = 0; i < d.inputs(); i++) w[u * d.inputs() + i] = k[i][u];
        int weights = ops.constantFloat(n + "/MatMul", new int[] {d.units(), d.inputs()}, w);
        int bias = ops.constantFloat(n + "/BiasAdd/ReadVariableOp", new int[] {d.units()}, d.bias().clone());
        int[] outShape = batched(next);
        int out = g.addTensor(n + "/MatMul;" + n + "/BiasAdd", DataType.FLOAT32, outShape, Quantization.NONE);
        ops.fullyConnected(current, weights, bias, out, fused(d.activation()), outShape.length > 2);
        advance(out, outShape, d.activation(), n);
    }

    private void lstm(Lstm l, int[] in, int[] next) {
        if (shape.length == 4) reshapeTo(new int[] {1, shape[2], shape[3]}, name("reshape"));
        String n = name("lstm");
        int units = l.units(), inputs = l.inputs();
        String[] gates = {"input", "forget", "cell", "output"};
        int[] w = new int[4], r = new int[4], b = new int[4];
        for (int gate = 0; gate < 4; gate++) {
            float[] wi = new float[units * inputs], ri = new float[units * units], bi = new float[units];
            for (int u = 0; u < units; u++) {
                int col = gate * units + u;
                for (int i = 0; i < inputs; i++) wi[u * inputs + i] = l.kernel()[i][col];
                for (int j = 0; j < units; j++) ri[u * units + j] = l.recurrentKernel()[j][col];
                bi[u] = l.bias()[col];
            }
            w[gate] = ops.constantFloat(n + "/input_to_" + gates[gate] + "_weights", new int[] {units, inputs}, wi);
            r[gate] = ops.constantFloat(n + "/recurrent_to_" + gates[gate] + "_weights", new int[] {units, units}, ri);
            b[gate] = ops.constantFloat(n + "/" + gates[gate] + "_gate_bias", new int[] {units}, bi);
        }
        int outputState = g.addVariable(n + "/output_state", DataType.FLOAT32, new int[] {1, units}, Quantization.NONE);
        int cellState = g.addVariable(n + "/cell_state", DataType.FLOAT32, new int[] {1, units}, Quantization.NONE);
        int[] seqShape = {1, in[0], units};
        int seq = g.addTensor(n, DataType.FLOAT32, seqShape, Quantization.NONE);
        ops.lstm(current, w, r, b, outputState, cellState, seq, LSTM_CELL_CLIP, new int[0]);
        current = seq;
        shape = seqShape;
        if (!l.returnSequences()) {
            String s = n + "_last";
            int begin = ops.constantInt32(s + "/stack", new int[] {3}, new int[] {0, -1, 0}, Quantization.NONE);
            int end = ops.constantInt32(s + "/stack_1", new int[] {3}, new int[] {0, 0, 0}, Quantization.NONE);
            int strides = ops.constantInt32(s + "/stack_2", new int[] {3}, new int[] {1, 1, 1}, Quantization.NONE);
            int[] lastShape = batched(next);
            int last = g.addTensor(s, DataType.FLOAT32, lastShape, Quantization.NONE);
            ops.stridedSlice(seq, begin, end, strides, last, 5, 5, 2);
            current = last;
            shape = lastShape;
        }
    }

    private void conv1d(Conv1D c, int[] next) {
        toImage();
        String n = name("conv1d");
        int f = c.filters(), k = c.kernelSize(), cin = c.inputChannels();
        float[] w = new float[f * k * cin];
        for (int o = 0; o < f; o++) for (int t = 0; t < k; t++) for (int i = 0; i < cin; i++) w[(o * k + t) * cin + i] = c.kernel()[t][i][o];
        int filter = ops.constantFloat(n + "/Conv2D", new int[] {f, 1, k, cin}, w);
        int bias = ops.constantFloat(n + "/BiasAdd/ReadVariableOp", new int[] {f}, c.bias().clone());
        int[] outShape = {1, 1, next[0], next[1]};
        int out = g.addTensor(n + "/BiasAdd", DataType.FLOAT32, outShape, Quantization.NONE);
        ops.conv2d(current, filter, bias, out, c.padding(), c.stride(), 1, c.dilation(), 1, fused(c.activation()));
        advance(out, outShape, c.activation(), n);
    }

    private void conv1dTranspose(Conv1DTranspose c, int[] next) {
        toImage();
        String n = name("conv1d_transpose");
        int f = c.filters(), k = c.kernelSize(), cin = c.inputChannels();
        float[] w = new float[f * k * cin];
        for (int o = 0; o < f; o++) for (int t = 0; t < k; t++) for (int i = 0; i < cin; i++) w[(o * k + t) * cin + i] = c.kernel()[t][o][i];
        int[] outShape = {1, 1, next[0], next[1]};
        int outputShape = ops.constantInt32(n + "/stack", new int[] {4}, outShape, Quantization.NONE);
        int filter = ops.constantFloat(n + "/conv2d_transpose", new int[] {f, 1, k, cin}, w);
        int bias = ops.constantFloat(n + "/BiasAdd/ReadVariableOp", new int[] {f}, c.bias().clone());
        int out = g.addTensor(n + "/BiasAdd", DataType.FLOAT32, outShape, Quantization.NONE);
        ops.transposeConv(outputShape, filter, current, bias, out, c.padding(), c.stride(), 1, fused(c.activation()));
        advance(out, outShape, c.activation(), n);
    }

    /** Moves to the [1, 1, T, C] image form the convolutions take. */
    private void toImage() {
        if (shape.length == 4) return;
        if (shape.length != 3) throw new IllegalArgumentException("a 1-D convolution needs a [T, C] sample, got " + Arrays.toString(shape));
        reshapeTo(new int[] {1, 1, shape[1], shape[2]}, name("reshape"));
    }

    /** Emits a RESHAPE to {@code target} unless the current tensor already has that shape. */
    private void reshapeTo(int[] target, String n) {
        if (Arrays.equals(shape, target)) return;
        int[] spec = target.clone();
        spec[0] = -1;
        int shapeTensor = ops.constantInt32(n + "/shape", new int[] {spec.length}, spec, Quantization.NONE);
        int out = g.addTensor(n, DataType.FLOAT32, target, Quantization.NONE);
        ops.reshape(current, shapeTensor, out);
        current = out;
        shape = target.clone();
    }

    /** Makes {@code out} current, adding the separate TANH / LOGISTIC op the converter does not fuse. */
    private void advance(int out, int[] outShape, Activation activation, String n) {
        current = out;
        shape = outShape;
        if (activation == Activation.TANH || activation == Activation.SIGMOID) {
            boolean tanh = activation == Activation.TANH;
            int act = g.addTensor(n + (tanh ? "/Tanh" : "/Sigmoid"), DataType.FLOAT32, outShape, Quantization.NONE);
            if (tanh) ops.tanh(out, act); else ops.logistic(out, act);
            current = act;
        }
    }

    private static FusedActivation fused(Activation a) {
        return switch (a) {
            case RELU -> FusedActivation.RELU;
            case RELU6 -> FusedActivation.RELU6;
            case LINEAR, TANH, SIGMOID -> FusedActivation.NONE;
        };
    }

    /** Keras-style unique layer names: dense, dense_1, ... */
    private String name(String base) {
        int k = layerCounts.merge(base, 1, Integer::sum) - 1;
        return k == 0 ? base : base + "_" + k;
    }

    private static int[] batched(int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = 1;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }
}
