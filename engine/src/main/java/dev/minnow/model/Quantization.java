package dev.minnow.model;

import java.util.Arrays;

/**
 * Affine quantization of a tensor: real = scale * (q - zeroPoint), per tensor (one entry) or per channel along
 * {@code quantizedDimension}. {@link #NONE} for unquantized tensors.
 *
 * <p>Loaded models follow TFLM: a tensor is quantized only when the model stores both scales and zero points, and
 * zero points are then one per scale (a single stored zero point applies to every channel).
 *
 * @param scales             one scale per channel (one for per-tensor quantization)
 * @param zeroPoints         the zero points, normally one per scale
 * @param quantizedDimension the axis the channels run along (meaningful for per-channel quantization)
 */
public record Quantization(float[] scales, long[] zeroPoints, int quantizedDimension) {
    /** No quantization. */
    public static final Quantization NONE = new Quantization(new float[0], new long[0], 0);

    /** Copies the arrays. */
    public Quantization {
        scales = scales.clone();
        zeroPoints = zeroPoints.clone();
    }

    /** True when there is at least one scale (TFLM's kTfLiteAffineQuantization). */
    public boolean isQuantized() { return scales.length > 0; }

    /** True when there is more than one scale. */
    public boolean isPerChannel() { return scales.length > 1; }

    /** Number of scales. */
    public int channelCount() { return scales.length; }

    /** Scale of a channel. */
    public float scale(int channel) { return scales[channel]; }

    /**
     * Zero point of a channel: {@code zeroPoints[channel]} when there is one per scale, otherwise the first (TFLM's
     * rule for weights stored with a single zero point), 0 when there are none.
     */
    public long zeroPoint(int channel) {
        if (zeroPoints.length == 0) return 0;
        return zeroPoints.length == scales.length ? zeroPoints[channel] : zeroPoints[0];
    }

    /** Per-tensor scale: the first scale, 0 when unquantized (TFLM's params.scale). */
    public float scale() { return scales.length > 0 ? scales[0] : 0f; }

    /** Per-tensor zero point: the first one, 0 when unquantized (TFLM's params.zero_point). */
    public int zeroPoint() { return zeroPoints.length > 0 ? (int) zeroPoints[0] : 0; }

    @Override public float[] scales() { return scales.clone(); }
    @Override public long[] zeroPoints() { return zeroPoints.clone(); }

    @Override public boolean equals(Object o) {
        return o instanceof Quantization q && Arrays.equals(scales, q.scales) && Arrays.equals(zeroPoints, q.zeroPoints)
                && quantizedDimension == q.quantizedDimension;
    }
    @Override public int hashCode() { return 31 * Arrays.hashCode(scales) + Arrays.hashCode(zeroPoints) + quantizedDimension; }
    @Override public String toString() {
        return isQuantized() ? "Quantization{scale=" + Arrays.toString(scales) + ", zeroPoint=" + Arrays.toString(zeroPoints)
                + (isPerChannel() ? ", axis=" + quantizedDimension : "") + "}" : "Quantization{none}";
    }
}
