package dev.minnow.trainer;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Describes a sequential network layer by layer and builds it as a {@link FloatNetwork} with Keras's default
 * initialisers: glorot_uniform kernels, orthogonal LSTM recurrent kernels, zero biases except the LSTM forget gate's
 * (1, Keras's {@code unit_forget_bias}). Each layer's shape is checked as it is added.
 */
public final class NetworkBuilder {
    private final int[] inputShape;
    private final List<Function<Rng, Layer>> makers = new ArrayList<>();
    private int[] shape;

    private NetworkBuilder(int[] inputShape) {
        for (int d : inputShape) {
            if (d <= 0) throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape) + " has a dimension <= 0");
        }
        this.inputShape = inputShape.clone();
        this.shape = inputShape.clone();
    }

    /** Starts a network whose samples have {@code shape} ({@code [features]} or {@code [timesteps, channels]}). */
    public static NetworkBuilder input(int... shape) {
        if (shape.length == 0) throw new IllegalArgumentException("the input shape needs at least one dimension");
        return new NetworkBuilder(shape);
    }

    /** The shape of one sample after the layers added so far. */
    public int[] currentShape() { return shape.clone(); }

    /** Adds Keras {@code Dense(units, activation)} over the last axis. */
    public NetworkBuilder dense(int units, Activation activation) {
        positive("Dense units", units);
        int in = shape[shape.length - 1];
        return add(rng -> new Dense(glorot(rng, in, units, in, units), new float[units], activation));
    }

    /** Adds Keras {@code LSTM(units, return_sequences)} with its default activations and initialisers. */
    public NetworkBuilder lstm(int units, boolean returnSequences) {
        positive("LSTM units", units);
        if (shape.length != 2) throw new IllegalArgumentException("LSTM takes [timesteps, features], the shape here is " + Arrays.toString(shape));
        int in = shape[1];
        return add(rng -> {
            float[][] kernel = glorot(rng, in, 4 * units, in, 4 * units);
            float[][] recurrent = orthogonal(rng, units, 4 * units);
            float[] bias = new float[4 * units];
            Arrays.fill(bias, units, 2 * units, 1f);
            return new Lstm(kernel, recurrent, bias, returnSequences);
        });
    }

    /** Adds Keras {@code Conv1D(filters, kernel_size, strides, padding, dilation_rate, activation)}. */
    public NetworkBuilder conv1d(int filters, int kernelSize, int stride, int dilation, Padding padding, Activation activation) {
        positive("Conv1D filters", filters);
        positive("Conv1D kernel size", kernelSize);
        if (shape.length != 2) throw new IllegalArgumentException("Conv1D takes [timesteps, channels], the shape here is " + Arrays.toString(shape));
        int in = shape[1];
        return add(rng -> {
            float[][][] k = new float[kernelSize][][];
            double limit = Math.sqrt(6.0 / (kernelSize * in + kernelSize * filters));
            for (int j = 0; j < kernelSize; j++) k[j] = uniform(rng, in, filters, limit);
            return new Conv1D(k, new float[filters], stride, dilation, padding, activation);
        });
    }

    /** Adds Keras {@code Conv1DTranspose(filters, kernel_size, strides, padding, activation)}. */
    public NetworkBuilder conv1dTranspose(int filters, int kernelSize, int stride, Padding padding, Activation activation) {
        positive("Conv1DTranspose filters", filters);
        positive("Conv1DTranspose kernel size", kernelSize);
        if (shape.length != 2) {
            throw new IllegalArgumentException("Conv1DTranspose takes [timesteps, channels], the shape here is " + Arrays.toString(shape));
        }
        int in = shape[1];
        return add(rng -> {
            float[][][] k = new float[kernelSize][][];
            double limit = Math.sqrt(6.0 / (kernelSize * filters + kernelSize * in));
            for (int j = 0; j < kernelSize; j++) k[j] = uniform(rng, filters, in, limit);
            return new Conv1DTranspose(k, new float[filters], stride, padding, activation);
        });
    }

    /** Adds Keras {@code Dropout(rate)}. */
    public NetworkBuilder dropout(float rate) { return add(rng -> new Dropout(rate)); }

    /** Adds Keras {@code Flatten()}. */
    public NetworkBuilder flatten() { return add(rng -> new Flatten()); }

    /** Adds Keras {@code Reshape(targetShape)}. */
    public NetworkBuilder reshape(int... targetShape) { return add(rng -> new Reshape(targetShape)); }

    /** Builds the network with weights drawn from {@code seed}. */
    public FloatNetwork build(String name, long seed) {
        Objects.requireNonNull(name, "name");
        if (makers.isEmpty()) throw new IllegalStateException("the network has no layers");
        Rng rng = new Rng(seed);
        List<Layer> layers = new ArrayList<>();
        for (Function<Rng, Layer> maker : makers) layers.add(maker.apply(rng));
        return new FloatNetwork(name, inputShape, layers);
    }

    private NetworkBuilder add(Function<Rng, Layer> maker) {
        // the shape check runs on a layer made from a throwaway stream, so errors name the layer as it is added
        Layer probe = maker.apply(new Rng(0));
        try {
            shape = probe.outputShape(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + makers.size() + " (" + probe.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
        makers.add(maker);
        return this;
    }

    private static void positive(String what, int n) {
        if (n <= 0) throw new IllegalArgumentException(what + " " + n + " must be > 0");
    }

    /** Glorot uniform: U(-l, l) with {@code l = sqrt(6 / (fanIn + fanOut))}. */
    static float[][] glorot(Rng rng, int rows, int cols, int fanIn, int fanOut) {
        return uniform(rng, rows, cols, Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    private static float[][] uniform(Rng rng, int rows, int cols, double limit) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) for (int j = 0; j < cols; j++) row[j] = (float) rng.uniform(-limit, limit);
        return m;
    }

    /**
     * Keras's Orthogonal initialiser for a {@code rows x cols} matrix with {@code rows <= cols}: the Q factor of a
     * Gaussian {@code cols x rows} matrix (signs fixed so R has a positive diagonal), transposed, so the rows are
     * orthonormal.
     */
    static float[][] orthogonal(Rng rng, int rows, int cols) {
        if (rows > cols) throw new IllegalArgumentException("orthogonal " + rows + "x" + cols + ": rows must be <= cols");
        double[][] q = new double[rows][cols]; // q[j] is column j of the cols x rows Gaussian matrix
        for (int i = 0; i < cols; i++) for (int j = 0; j < rows; j++) q[j][i] = rng.nextGaussian();
        for (int j = 0; j < rows; j++) { // modified Gram-Schmidt: R's diagonal is the (positive) norm
            for (int k = 0; k < j; k++) {
                double d = 0;
                for (int i = 0; i < cols; i++) d += q[j][i] * q[k][i];
                for (int i = 0; i < cols; i++) q[j][i] -= d * q[k][i];
            }
            double norm = 0;
            for (int i = 0; i < cols; i++) norm += q[j][i] * q[j][i];
            norm = Math.sqrt(norm);
            for (int i = 0; i < cols; i++) q[j][i] /= norm;
        }
        float[][] m = new float[rows][cols];
        for (int j = 0; j < rows; j++) for (int i = 0; i < cols; i++) m[j][i] = (float) q[j][i];
        return m;
    }
}
