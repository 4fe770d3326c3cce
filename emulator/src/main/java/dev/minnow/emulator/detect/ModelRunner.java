package dev.minnow.emulator.detect;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;

import java.util.Arrays;

/**
 * The firmware's view of the interpreter, and the emulator's only use of it: float values in, quantized with the
 * input tensor's scale and zero point exactly as the exported sketch does (round half away from zero, clamp), one
 * invoke in the board's arena, the outputs dequantized to float. The interpreter is reset before each invoke (TFLM's
 * {@code Reset()}: variable tensors such as LSTM state back to their initial values, kernel state cleared), so every
 * window is an independent inference as a stateless Keras model sees it; the sketch does the same. Buffers are allocated
 * once; {@link #run} allocates nothing. Not thread-safe: one runner per thread.
 */
public final class ModelRunner implements AutoCloseable {
    private final Interpreter interpreter;
    private final Tensor input;
    private final Tensor[] outputs;
    private final float inScale;
    private final int inZero;
    private final byte[] inBytes;
    private final short[] inShorts;
    private final float[][] outValues;
    private final byte[][] outBytes;
    private final short[][] outShorts;

    /** Allocates the model in an arena of {@code arenaBytes} under the default budget for untrusted models. */
    public ModelRunner(Model model, int arenaBytes) {
        this(model, arenaBytes, ModelBudget.DEFAULT);
    }

    /**
     * Allocates the model in an arena of {@code arenaBytes} (TFLM's mcu32 accounting) under {@code budget}; a
     * too-small arena or a model over the budget fails.
     */
    public ModelRunner(Model model, int arenaBytes, ModelBudget budget) {
        Interpreter it = new Interpreter(model, new InterpreterOptions().setArenaSize(arenaBytes).setBudget(budget));
        try {
            it.allocateTensors();
        } catch (dev.minnow.MinnowException e) {
            it.close();
            throw new EmulatorException("the model cannot be allocated in a " + arenaBytes + "-byte arena: " + e.getMessage(), e);
        }
        this.interpreter = it;
        if (it.getInputTensorCount() != 1) {
            throw new EmulatorException("the detector feeds one input tensor; the model has " + it.getInputTensorCount());
        }
        this.input = it.getInputTensor(0);
        requireType(input, "input");
        this.inScale = input.scale();
        this.inZero = input.zeroPoint();
        if (input.dataType() != DataType.FLOAT32 && !(inScale > 0)) {
            throw new EmulatorException("input tensor is " + input.dataType().lowerName() + " without a quantization scale");
        }
        this.inBytes = input.dataType() == DataType.INT8 ? new byte[input.numElements()] : null;
        this.inShorts = input.dataType() == DataType.INT16 ? new short[input.numElements()] : null;
        int n = it.getOutputTensorCount();
        this.outputs = new Tensor[n];
        this.outValues = new float[n][];
        this.outBytes = new byte[n][];
        this.outShorts = new short[n][];
        for (int i = 0; i < n; i++) {
            outputs[i] = it.getOutputTensor(i);
            requireType(outputs[i], "output " + i);
            outValues[i] = new float[outputs[i].numElements()];
            if (outputs[i].dataType() == DataType.INT8) outBytes[i] = new byte[outValues[i].length];
            if (outputs[i].dataType() == DataType.INT16) outShorts[i] = new short[outValues[i].length];
        }
    }

    private static void requireType(Tensor t, String role) {
        DataType d = t.dataType();
        if (d != DataType.FLOAT32 && d != DataType.INT8 && d != DataType.INT16) {
            throw new EmulatorException(role + " tensor '" + t.name() + "' is " + d.lowerName()
                    + "; the detector handles float32, int8 and int16");
        }
    }

    /** Elements of the input tensor. */
    public int inputElements() { return input.numElements(); }

    /** The input tensor's shape. */
    public int[] inputShape() { return input.shape(); }

    /** The input's element type. */
    public DataType inputType() { return input.dataType(); }

    /** The input's quantization scale (0 for float). */
    public float inputScale() { return inScale; }

    /** The input's zero point. */
    public int inputZeroPoint() { return inZero; }

    /** Number of output tensors. */
    public int outputCount() { return outputs.length; }

    /** Elements of output {@code i}. */
    public int outputElements(int i) { return outValues[i].length; }

    /** The arena's used bytes as TFLM reports them. */
    public long arenaUsedBytes() { return interpreter.arenaUsedBytes(); }

    /**
     * Quantizes {@code x} (the input's element count) into the input tensor, resets the interpreter, invokes,
     * and dequantizes every output; returns output {@code i}'s values via {@link #output(int)}.
     */
    public void run(float[] x) {
        if (x.length != input.numElements()) {
            throw new EmulatorException("input needs " + input.numElements() + " values, got " + x.length);
        }
        switch (input.dataType()) {
            case INT8 -> {
                for (int i = 0; i < x.length; i++) inBytes[i] = (byte) quantize(x[i], inScale, inZero, -128, 127);
                input.copyFrom(inBytes);
            }
            case INT16 -> {
                for (int i = 0; i < x.length; i++) inShorts[i] = (short) quantize(x[i], inScale, inZero, -32768, 32767);
                input.copyFrom(inShorts);
            }
            default -> input.copyFrom(x);
        }
        interpreter.reset();
        interpreter.invoke();
        for (int o = 0; o < outputs.length; o++) {
            Tensor t = outputs[o];
            float[] v = outValues[o];
            switch (t.dataType()) {
                case INT8 -> {
                    t.copyTo(outBytes[o]);
                    float s = t.scale();
                    int z = t.zeroPoint();
                    for (int i = 0; i < v.length; i++) v[i] = (outBytes[o][i] - z) * s;
                }
                case INT16 -> {
                    t.copyTo(outShorts[o]);
                    float s = t.scale();
                    int z = t.zeroPoint();
                    for (int i = 0; i < v.length; i++) v[i] = (outShorts[o][i] - z) * s;
                }
                default -> t.copyTo(v);
            }
        }
    }

    /** Output {@code i} of the last run, dequantized (the runner's own array: do not keep it across runs). */
    public float[] output(int i) { return outValues[i]; }

    /**
     * TFLM's float-to-integer quantization: {@code round(x / scale) + zeroPoint} with the quotient in float and
     * rounding half away from zero (C's lroundf), clamped to [lo, hi].
     */
    public static int quantize(float x, float scale, int zeroPoint, int lo, int hi) {
        float q = x / scale;
        double a = Math.floor(Math.abs((double) q) + 0.5);
        double r = (q < 0 ? -a : a) + zeroPoint;
        return (int) Math.max(lo, Math.min(hi, r));
    }

    @Override public void close() { interpreter.close(); }

    @Override public String toString() {
        return "ModelRunner[input " + input.dataType().lowerName() + Arrays.toString(input.shape()) + "]";
    }
}
