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
 * A {@link FloatNetwork} compiled for training: its layers as {@link Op}s and all its weights as one list of rows,
 * in the layers' order, each layer's Keras arrays cut along their last axis.
 */
final class Net {
    final String name;
    final int[] inputShape;
    final Op[] ops;
    final List<Layer> layers;
    final int inSize;
    final int outSize;
    final int paramCount;
    final int[] rowLengths;

    private Net(String name, int[] inputShape, Op[] ops, List<Layer> layers, int[] rowLengths) {
        this.name = name;
        this.inputShape = inputShape;
        this.ops = ops;
        this.layers = layers;
        this.inSize = Op.size(inputShape);
        this.outSize = ops[ops.length - 1].outSize;
        this.rowLengths = rowLengths;
        int n = 0;
        for (int r : rowLengths) n += r;
        this.paramCount = n;
    }

    /** Compiles {@code network}; its weights are copied by {@link #params(FloatNetwork)}. */
    static Net of(FloatNetwork network) {
        int[] shape = network.inputShape();
        List<Op> ops = new ArrayList<>();
        int offset = 0;
        int index = 0;
        List<int[]> rows = new ArrayList<>();
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
            int[] r = op.paramRows();
            offset += r.length;
            rows.add(r);
            ops.add(op);
            shape = out;
            index++;
        }
        return new Net(network.name(), network.inputShape(), ops.toArray(new Op[0]), network.layers(), Op.concat(rows.toArray(new int[0][])));
    }

    /** Zeroed parameter rows shaped like this net's. */
    float[][] newRows() {
        float[][] p = new float[rowLengths.length][];
        for (int i = 0; i < p.length; i++) p[i] = new float[rowLengths[i]];
        return p;
    }

    /** The weights of {@code network} (which must have this net's architecture) as parameter rows. */
    float[][] params(FloatNetwork network) {
        List<float[]> rows = new ArrayList<>();
        for (Layer layer : network.layers()) {
            if (layer instanceof Dense d) {
                add(rows, d.kernel());
                rows.add(d.bias());
            } else if (layer instanceof Lstm l) {
                add(rows, l.kernel());
                add(rows, l.recurrentKernel());
                rows.add(l.bias());
            } else if (layer instanceof Conv1D c) {
                for (float[][] m : c.kernel()) add(rows, m);
                rows.add(c.bias());
            } else if (layer instanceof Conv1DTranspose c) {
                for (float[][] m : c.kernel()) add(rows, m);
                rows.add(c.bias());
            }
        }
        if (rows.size() != rowLengths.length) throw new IllegalStateException("copied " + rows.size() + " weight rows, expected " + rowLengths.length);
        float[][] p = new float[rows.size()][];
        for (int i = 0; i < p.length; i++) {
            if (rows.get(i).length != rowLengths[i]) throw new IllegalStateException("weight row " + i + " has " + rows.get(i).length + " values, expected " + rowLengths[i]);
            p[i] = rows.get(i).clone();
        }
        return p;
    }

    private static void add(List<float[]> rows, float[][] m) {
        for (float[] r : m) rows.add(r);
    }

    /** All parameters in one row-major array (for tests and checks). */
    float[] flat(float[][] p) {
        float[] f = new float[paramCount];
        Vec.flatten(p, f);
        return f;
    }

    /** Parameter rows from one row-major array. */
    float[][] rows(float[] flat) {
        if (flat.length != paramCount) throw new IllegalArgumentException(flat.length + " parameters, the net has " + paramCount);
        float[][] p = newRows();
        Vec.unflatten(flat, p);
        return p;
    }

    /** A new description with this net's architecture and the weights {@code p}. */
    FloatNetwork network(float[][] p) {
        List<Layer> out = new ArrayList<>();
        int i = 0;
        for (Layer layer : layers) {
            Op op = ops[i++];
            int at = op.firstRow;
            Layer copy = layer;
            if (layer instanceof Dense d) {
                copy = new Dense(matrix(p, at, d.inputs()), p[at + d.inputs()].clone(), d.activation());
            } else if (layer instanceof Lstm l) {
                copy = new Lstm(matrix(p, at, l.inputs()), matrix(p, at + l.inputs(), l.units()), p[at + l.inputs() + l.units()].clone(),
                        l.returnSequences());
            } else if (layer instanceof Conv1D c) {
                copy = new Conv1D(cube(p, at, c.kernelSize(), c.inputChannels()), p[at + c.kernelSize() * c.inputChannels()].clone(),
                        c.stride(), c.dilation(), c.padding(), c.activation());
            } else if (layer instanceof Conv1DTranspose c) {
                copy = new Conv1DTranspose(cube(p, at, c.kernelSize(), c.filters()), p[at + c.kernelSize() * c.filters()].clone(),
                        c.stride(), c.padding(), c.activation());
            }
            out.add(copy);
        }
        return new FloatNetwork(name, inputShape, out);
    }

    /** Recomputes derived weights after {@code p} changed. */
    void refresh(float[][] p) {
        for (Op op : ops) op.refresh(p);
    }

    private static float[][] matrix(float[][] p, int at, int rows) {
        float[][] m = new float[rows][];
        for (int r = 0; r < rows; r++) m[r] = p[at + r].clone();
        return m;
    }

    private static float[][][] cube(float[][] p, int at, int a, int b) {
        float[][][] x = new float[a][][];
        for (int i = 0; i < a; i++) x[i] = matrix(p, at + i * b, b);
        return x;
    }
}
