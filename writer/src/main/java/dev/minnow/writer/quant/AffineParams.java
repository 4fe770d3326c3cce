package dev.minnow.writer.quant;

import dev.minnow.model.Quantization;

/**
 * Per-tensor affine quantization parameters: {@code real = scale * (q - zeroPoint)}.
 *
 * @param scale     the scale (kept in double as the converter computes it; written as float32)
 * @param zeroPoint the zero point
 */
public record AffineParams(double scale, int zeroPoint) {
    public AffineParams {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("scale " + scale + " must be finite and > 0");
    }

    /** The scale as the model stores it. */
    public float floatScale() { return (float) scale; }

    /** The tensor quantization to write. */
    public Quantization toQuantization() {
        return new Quantization(new float[] {(float) scale}, new long[] {zeroPoint}, 0);
    }

    /** The real value of quantized {@code q} with the stored (float) scale. */
    public double dequantize(int q) { return (double) (float) scale * (q - zeroPoint); }
}
