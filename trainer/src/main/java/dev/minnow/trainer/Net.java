package dev.minnow.trainer;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FloatNetwork} compiled for training: its layers as {@link Op}s and all its weights in one flat array, in
 * the layers' order and each layer's Keras layout.
 */
final class Net {
    final String name;
    final int[] inputShape;
    final Op[] ops;
    final List<Layer> layers;
    final int inSize;
    final int outSize;
    final int paramCount;

    private Net(String name, int[] inputShape, Op[] ops, List<Layer> layers, int paramCount) {
        this.name = name;
        this.inputShape = inputShape;
        this.ops = ops;
        this.layers = layers;
        this.inSize = Op.size(inputShape);
        this.outSize = ops[ops.length - 1].outSize;
        this.paramCount = paramCount;
    }

    /** Compiles {@code network}; its weights are copied by {@link #params(FloatNetwork)}. */
    static Net of(FloatNetwork network) {
        int[] shape = network.inputShape();
        List<Op> ops = new ArrayList<>();
        int offset = 0;
        int index = 0;
        for (Layer layer : network.layers()) {
            int[] out;
            try {
                out = layer.outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + index + " (" + layer.getClass().getSimpleName() + "): " + e.getMessage(), e);
            }
            Op op;
            if (layer instanceof Dense d) {
                op = new DenseOp(shape, d.units(), d.activation(), offset);
            } else if (layer instanceof Lstm l) {
                op = new LstmOp(shape, l.units(), l.returnSequences(), offset);
            } else if (layer instanceof Conv1D c) {
                op = new Conv1DOp(shape, out, c.kernelSize(), c.stride(), c.dilation(), c.padding(), c.activation(), offset);
            } else if (layer instanceof Conv1DTranspose c) {
                if (c.padding() == Padding.VALID && c.kernelSize() < c.stride()) {
                    throw new IllegalArgumentException("layer " + index + ": Conv1DTranspose with valid padding and kernel size "
                            + c.kernelSize() + " < stride " + c.stride() + " is not supported (Keras gives T * stride steps,"
                            + " the network description (T - 1) * stride + kernel)");
                }
                op = new Conv1DTransposeOp(shape, out, c.kernelSize(), c.stride(), c.padding(), c.activation(), offset);
            } else if (layer instanceof Dropout d) {
                op = new DropoutOp(shape, d.rate());
            } else if (layer instanceof Flatten || layer instanceof Reshape) {
                op = new ReshapeOp(shape, out);
            } else {
                throw new IllegalArgumentException("layer " + index + ": unknown layer type " + layer.getClass().getName());
            }
            offset += op.paramCount();
            ops.add(op);
            shape = out;
            index++;
        }
        return new Net(network.name(), network.inputShape(), ops.toArray(new Op[0]), network.layers(), offset);
    }

    /** The weights of {@code network} (which must have this net's architecture) as one flat array. */
    float[] params(FloatNetwork network) {
        float[] p = new float[paramCount];
        int at = 0;
        for (Layer layer : network.layers()) {
            if (layer instanceof Dense d) {
                at = put(d.bias(), p, put(d.kernel(), p, at));
            } else if (layer instanceof Lstm l) {
                at = put(l.bias(), p, put(l.recurrentKernel(), p, put(l.kernel(), p, at)));
            } else if (layer instanceof Conv1D c) {
                at = put(c.bias(), p, put(c.kernel(), p, at));
            } else if (layer instanceof Conv1DTranspose c) {
                at = put(c.bias(), p, put(c.kernel(), p, at));
            }
        }
        if (at != paramCount) throw new IllegalStateException("copied " + at + " weights, expected " + paramCount);
        return p;
    }

    /** A new description with this net's architecture and the weights {@code p}. */
    FloatNetwork network(float[] p) {
        List<Layer> out = new ArrayList<>();
        int i = 0;
        for (Layer layer : layers) {
            Op op = ops[i++];
            int at = op.paramOffset;
            Layer copy = layer;
            if (layer instanceof Dense d) {
                copy = new Dense(matrix(p, at, d.inputs(), d.units()), vector(p, at + d.inputs() * d.units(), d.units()), d.activation());
            } else if (layer instanceof Lstm l) {
                int g4 = 4 * l.units();
                float[][] k = matrix(p, at, l.inputs(), g4);
                float[][] r = matrix(p, at + l.inputs() * g4, l.units(), g4);
                float[] b = vector(p, at + (l.inputs() + l.units()) * g4, g4);
                copy = new Lstm(k, r, b, l.returnSequences());
            } else if (layer instanceof Conv1D c) {
                int n = c.kernelSize() * c.inputChannels() * c.filters();
                copy = new Conv1D(cube(p, at, c.kernelSize(), c.inputChannels(), c.filters()), vector(p, at + n, c.filters()),
                        c.stride(), c.dilation(), c.padding(), c.activation());
            } else if (layer instanceof Conv1DTranspose c) {
                int n = c.kernelSize() * c.filters() * c.inputChannels();
                copy = new Conv1DTranspose(cube(p, at, c.kernelSize(), c.filters(), c.inputChannels()), vector(p, at + n, c.filters()),
                        c.stride(), c.padding(), c.activation());
            }
            out.add(copy);
        }
        return new FloatNetwork(name, inputShape, out);
    }

    /** Recomputes derived weights after {@code p} changed. */
    void refresh(float[] p) {
        for (Op op : ops) op.refresh(p);
    }

    private static int put(float[] v, float[] p, int at) {
        System.arraycopy(v, 0, p, at, v.length);
        return at + v.length;
    }

    private static int put(float[][] m, float[] p, int at) {
        for (float[] row : m) at = put(row, p, at);
        return at;
    }

    private static int put(float[][][] c, float[] p, int at) {
        for (float[][] m : c) at = put(m, p, at);
        return at;
    }

    private static float[] vector(float[] p, int at, int n) {
        float[] v = new float[n];
        System.arraycopy(p, at, v, 0, n);
        return v;
    }

    private static float[][] matrix(float[] p, int at, int rows, int cols) {
        float[][] m = new float[rows][];
        for (int r = 0; r < rows; r++) m[r] = vector(p, at + r * cols, cols);
        return m;
    }

    private static float[][][] cube(float[] p, int at, int a, int b, int c) {
        float[][][] x = new float[a][][];
        for (int i = 0; i < a; i++) x[i] = matrix(p, at + i * b * c, b, c);
        return x;
    }
}
