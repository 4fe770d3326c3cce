package dev.minnow.writer.quant;

/**
 * The post-training quantization arithmetic of TFLite's (MLIR) converter: asymmetric int8 activations from a
 * calibrated range with the zero point nudged so that 0.0 is exactly representable; symmetric narrow-range int8
 * weights (zero point 0, [-127, 127]); int32 biases at input scale x weight scale; power-of-two int16 scales for the
 * LSTM cell state.
 */
public final class QuantMath {
    private QuantMath() {}

    /** int8 limits. */
    public static final int INT8_MIN = -128, INT8_MAX = 127;

    /**
     * int8 asymmetric parameters for values in [min, max] (MLIR's fakeQuantAttrsToType for 8 signed bits, not
     * narrow): the range is first widened to include 0; scale = (max - min) / 255; the zero point is taken from
     * whichever end gives the smaller error and rounded (half away from zero), so q = zeroPoint is exactly 0.0. An
     * empty range (all zeros) gets scale 1 and zero point -128, as the converter writes it.
     */
    public static AffineParams activation(double min, double max) {
        if (Double.isNaN(min) || Double.isNaN(max) || Double.isInfinite(min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("calibrated range [" + min + ", " + max + "] is not finite");
        }
        if (min > max) throw new IllegalArgumentException("calibrated range [" + min + ", " + max + "] is empty");
        double rmin = Math.min(min, 0.0), rmax = Math.max(max, 0.0);
        double qmin = INT8_MIN, qmax = INT8_MAX;
        if (Math.abs(rmax - rmin) < Math.ulp(1.0)) return new AffineParams(1.0, INT8_MIN);
        double scale = (rmax - rmin) / (qmax - qmin);
        double zpFromMin = qmin - rmin / scale, errMin = Math.abs(qmin) + Math.abs(rmin / scale);
        double zpFromMax = qmax - rmax / scale, errMax = Math.abs(qmax) + Math.abs(rmax / scale);
        double zp = errMin < errMax ? zpFromMin : zpFromMax;
        int nudged = zp < qmin ? INT8_MIN : zp > qmax ? INT8_MAX : (int) roundHalfAway(zp);
        return new AffineParams(scale, nudged);
    }

    /**
     * The symmetric weight scale of values with largest magnitude {@code maxAbs}: maxAbs / 127 (narrow range, zero
     * point 0); 1 for an all-zero channel.
     */
    public static double weightScale(double maxAbs) {
        if (!(maxAbs >= 0) || Double.isInfinite(maxAbs)) throw new IllegalArgumentException("weight magnitude " + maxAbs + " is not finite");
        return maxAbs == 0 ? 1.0 : (2 * maxAbs) / 254.0;
    }

    /** A weight quantized with {@code scale}: round half away from zero, clamped to [-127, 127]. */
    public static byte quantizeWeight(float w, double scale) {
        double q = roundHalfAway(w / scale);
        return (byte) Math.max(-127, Math.min(127, q));
    }

    /**
     * Quantizes {@code w} (row-major, {@code shape}) symmetrically per channel along {@code axis} (one channel when
     * {@code axis} is -1); returns the int8 values and fills {@code scales} (one per channel).
     */
    public static byte[] quantizeWeights(float[] w, int[] shape, int axis, double[] scales) {
        int channels = axis < 0 ? 1 : shape[axis];
        if (scales.length != channels) throw new IllegalArgumentException(scales.length + " scales for " + channels + " channels");
        int inner = 1;
        if (axis >= 0) for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
        double[] maxAbs = new double[channels];
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) throw new IllegalArgumentException("weight " + i + " is " + w[i]);
            int c = axis < 0 ? 0 : (i / inner) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        for (int c = 0; c < channels; c++) scales[c] = weightScale(maxAbs[c]);
        byte[] q = new byte[w.length];
        for (int i = 0; i < w.length; i++) q[i] = quantizeWeight(w[i], scales[axis < 0 ? 0 : (i / inner) % channels]);
        return q;
    }

    /** The bias scale of a channel: input scale x weight scale, both as the model stores them (float32). */
    public static double biasScale(double inputScale, double weightScale) {
        return (double) (float) inputScale * (double) (float) weightScale;
    }

    /** A bias quantized to int32 at {@code scale}: round half away from zero, clamped to ±(2^31 - 1). */
    public static int quantizeBias(float b, double scale) {
        if (!Float.isFinite(b)) throw new IllegalArgumentException("bias value " + b + " is not finite");
        double q = roundHalfAway(b / scale);
        return (int) Math.max(-Integer.MAX_VALUE, Math.min(Integer.MAX_VALUE, q));
    }

    /**
     * The int16 power-of-two scale covering magnitudes up to {@code maxAbs}: 2^ceil(log2(maxAbs)) / 32768, as the
     * converter quantizes the LSTM cell state (TFLM requires a power of two there).
     */
    public static double powerOfTwoScale16(double maxAbs) {
        if (!(maxAbs > 0) || Double.isInfinite(maxAbs)) throw new IllegalArgumentException("cell state magnitude " + maxAbs + " must be finite and > 0");
        int e = Math.getExponent(maxAbs);
        double bound = Math.scalb(1.0, e);
        if (bound < maxAbs) bound *= 2;
        return bound / 32768.0;
    }

    /** std::round: halves away from zero. */
    public static double roundHalfAway(double x) {
        double f = Math.floor(x), frac = x - f;   // exact for every finite double
        if (frac > 0.5) return f + 1;
        if (frac < 0.5) return f;
        return x < 0 ? f : f + 1;
    }
}
