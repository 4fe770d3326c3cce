package dev.minnow.kernels;

import dev.minnow.math.FixedPoint16;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.FloatLibm;
import dev.minnow.util.LittleEndian;

/**
 * The building blocks of one LSTM step as TFLM's lstm_eval composes them: a gate (two fully connected layers
 * summed, then sigmoid or tanh), the cell update (forget * cell + input * cell_gate, clipped) and the hidden
 * state (tanh(cell) * output_gate). Quantized gates are int16 in Q3.12 before and Q0.15 after the activation;
 * the cell state is int16 at the cell tensor's scale. All methods work in place on caller-owned arrays.
 * {@link UnidirectionalSequenceLstm}'s reference loops compose them over its workspace arrays.
 */
public final class LstmCell {
    private LstmCell() {}

    /** Parameters of one element-wise quantized multiplication (TFLM's MulElementwise with zero input offsets). */
    public record MulParams(int multiplier, int shift, int outputOffset, int min, int max) {
        public int apply(int a, int b) {
            int r = outputOffset + FixedPoint.multiplyByQuantizedMultiplier(a * b, multiplier, shift);
            return Math.min(max, Math.max(min, r));
        }
    }

    // ---------------------------------------------------------------- quantized

    /**
     * Quantized fully connected layer with an int16 result at zero point 0 (a gate's pre-activation).
     * in holds rows x depth raw input values from inBase; weights are int8 units x depth at wOff (zero point 0);
     * bias (may be null) holds units little-endian values of biasBytes (4: int32, 8: int64) at biasOff.
     * With wide (int16 activations) the accumulator is 64-bit, otherwise it wraps at 32 bits as TFLM's does.
     */
    public static void fullyConnected(int[] in, int inBase, int rows, int depth, int inputOffset,
                                      byte[] w, int wOff, int units, byte[] bias, int biasOff, int biasBytes,
                                      int multiplier, int shift, boolean wide, short[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int x = inBase + r * depth;
            for (int o = 0; o < units; o++) {
                int wr = wOff + o * depth;
                int scaled;
                if (wide) {
                    long acc = 0;
                    for (int d = 0; d < depth; d++) acc += w[wr + d] * (in[x + d] + inputOffset);
                    if (bias != null) acc += LittleEndian.getLong(bias, biasOff + 8 * o);
                    scaled = FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier, shift);
                } else {
                    int acc = 0;
                    for (int d = 0; d < depth; d++) acc += w[wr + d] * (in[x + d] + inputOffset);
                    if (bias != null) acc += biasBytes == 8 ? (int) LittleEndian.getLong(bias, biasOff + 8 * o)
                            : LittleEndian.getInt(bias, biasOff + 4 * o);
                    scaled = FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier, shift);
                }
                out[outOff + r * units + o] = (short) Math.min(32767, Math.max(-32768, scaled));
            }
        }
    }

    /** a[i] = saturate_int16(a[i] + b[i]) for n elements from off. */
    public static void addSaturating(short[] a, int aOff, short[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) {
            int s = a[aOff + i] + b[bOff + i];
            a[aOff + i] = (short) Math.min(32767, Math.max(-32768, s));
        }
    }

    /** In-place int16 sigmoid of a Q3.12 gate into Q0.15. */
    public static void sigmoid(short[] g, int off, int n) {
        for (int i = 0; i < n; i++) g[off + i] = FixedPoint16.logistic(g[off + i], 3, 0);
    }

    /** int16 tanh with TFLM's input scaling {multiplier, shift} (see {@link #tanhScaling}). */
    public static void tanh(short[] src, int srcOff, int n, int multiplier, int shift, short[] dst, int dstOff) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = FixedPoint16.tanh(src[srcOff + i], multiplier, shift);
    }

    /** {multiplier, shift} of lstm_eval's int16 tanh for an input at scale 2^scalePower. */
    public static int[] tanhScaling(int scalePower) {
        int leftShift = 15 + scalePower - 3;
        int multiplier = 0;
        if (leftShift < 0) {
            leftShift = -leftShift;
            multiplier = 3;
        }
        return FixedPoint16.inputScaling(multiplier, leftShift);
    }

    /**
     * Cell update on n elements: cell = forget * cell; buf = input * cellGate; cell = sat(cell + buf); then
     * clip to +-clip when clipping is on.
     */
    public static void updateCell(short[] cell, int cellOff, short[] forget, short[] input, short[] cellGate,
                                  int n, MulParams forgetCell, MulParams inputCell, boolean clipOn, int clip,
                                  short[] buf) {
        for (int i = 0; i < n; i++) cell[cellOff + i] = (short) forgetCell.apply(forget[i], cell[cellOff + i]);
        for (int i = 0; i < n; i++) buf[i] = (short) inputCell.apply(input[i], cellGate[i]);
        addSaturating(cell, cellOff, buf, 0, n);
        if (clipOn) {
            for (int i = 0; i < n; i++) {
                int v = Math.min(clip, cell[cellOff + i]);
                cell[cellOff + i] = (short) Math.max(v, (short) -clip);
            }
        }
    }

    /** Hidden state on n elements: buf = tanh(cell); hidden = buf * outputGate (to the hidden state's scale). */
    public static void updateHidden(short[] cell, int cellOff, short[] outputGate, int n, int tanhMultiplier,
                                    int tanhShift, MulParams outputMul, short[] buf, short[] hidden, int hiddenOff) {
        tanh(cell, cellOff, n, tanhMultiplier, tanhShift, buf, 0);
        for (int i = 0; i < n; i++) hidden[hiddenOff + i] = (short) outputMul.apply(buf[i], outputGate[i]);
    }

    // ---------------------------------------------------------------- float

    /** std::min(std::max(x, -FLT_MAX), FLT_MAX) as TFLM's ActivationFunctionWithMinMax for "no activation". */
    static float clampNone(float x) {
        float y = x < -Float.MAX_VALUE ? -Float.MAX_VALUE : x;
        return Float.MAX_VALUE < y ? Float.MAX_VALUE : y;
    }

    /** Float fully connected: out = clamp(sum_d in*w (in order) + bias), weights units x depth floats at wOff. */
    public static void fullyConnected(float[] in, int inBase, int rows, int depth, byte[] w, int wOff, int units,
                                      byte[] bias, int biasOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int x = inBase + r * depth;
            for (int o = 0; o < units; o++) {
                int wr = wOff + 4 * o * depth;
                float total = 0f;
                for (int d = 0; d < depth; d++) total += in[x + d] * LittleEndian.getFloat(w, wr + 4 * d);
                float b = bias != null ? LittleEndian.getFloat(bias, biasOff + 4 * o) : 0f;
                out[outOff + r * units + o] = clampNone(total + b);
            }
        }
    }

    /** TFLM's float reference logistic (cut-offs at 16.619047 and -9). */
    public static float sigmoid(float v) {
        if (v > 16.619047164916992188f) return 1.0f;
        if (v < -9.0f) return FloatLibm.expf(v);
        return 1.0f / (1.0f + FloatLibm.expf(-v));
    }

    public static void sigmoid(float[] g, int off, int n) {
        for (int i = 0; i < n; i++) g[off + i] = sigmoid(g[off + i]);
    }

    public static void tanh(float[] src, int srcOff, int n, float[] dst, int dstOff) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = FloatLibm.tanhf(src[srcOff + i]);
    }

    public static void add(float[] a, int aOff, float[] b, int bOff, int n) {
        for (int i = 0; i < n; i++) a[aOff + i] = a[aOff + i] + b[bOff + i];
    }

    /** Float cell update: cell = forget*cell; buf = input*cellGate; cell += buf; clip when clip > 0. */
    public static void updateCell(float[] cell, int cellOff, float[] forget, float[] input, float[] cellGate,
                                  int n, float clip, float[] buf) {
        for (int i = 0; i < n; i++) cell[cellOff + i] = clampNone(forget[i] * cell[cellOff + i]);
        for (int i = 0; i < n; i++) buf[i] = clampNone(input[i] * cellGate[i]);
        add(cell, cellOff, buf, 0, n);
        if (clip > 0) {
            for (int i = 0; i < n; i++) {
                float v = cell[cellOff + i];
                float m = v < clip ? v : clip;        // std::min(clip, v)
                cell[cellOff + i] = m < -clip ? -clip : m; // std::max(m, -clip)
            }
        }
    }

    /** Float hidden state: buf = tanh(cell); hidden = buf * outputGate. */
    public static void updateHidden(float[] cell, int cellOff, float[] outputGate, int n, float[] buf,
                                    float[] hidden, int hiddenOff) {
        tanh(cell, cellOff, n, buf, 0);
        for (int i = 0; i < n; i++) hidden[hiddenOff + i] = clampNone(buf[i] * outputGate[i]);
    }
}
