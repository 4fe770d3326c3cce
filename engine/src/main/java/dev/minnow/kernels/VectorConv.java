package dev.minnow.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The window loops of {@link FastConv2D} and {@link FastDepthwiseConv2D} on the Vector API (JDK 17's incubator module
 * {@code jdk.incubator.vector}), called only when {@link FastLoops#VECTOR_API}: without the module this class is never
 * loaded. Each method computes one output pixel's channels with the channels across the lanes and the sums kept in
 * registers over all its taps (the scalar loops keep them in memory), {@link #LANES} channels per vector.
 *
 * <p>Array contract: channel blocks run in whole vectors up to the first multiple of {@link #LANES} at or above the
 * channel count, so the weight, bias, input and accumulator arrays the callers pass are {@link #LANES} elements
 * longer than their data (or padded per channel); the lanes past the channel count hold sums of neighbouring data and
 * are never written to the output. Every output keeps the reference's order of accumulation over the taps (filterY,
 * filterX, inChannel) with a separate multiply and add (never fused): float results equal the reference's bit for bit;
 * int sums are exact modulo 2^32 in any order.
 */
final class VectorConv {
    /** 256-bit vectors: 8 int or float lanes (on AVX-512 CPUs that split 512-bit operations, no slower per lane). */
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    /** Channels per vector. */
    static final int LANES = ConvWindow.LANES;

    private VectorConv() {}

    /**
     * Depthwise pixel (one input channel per output channel): for {@code c < n}, {@code acc[c] = bias[c] + sum over
     * taps (fy, fx) of w[(fy * fw + fx) * n + c] * x[base + fy * yStep + fx * xStep + c]}, taps
     * {@code fy0 <= fy < fy1}, {@code fx0 <= fx < fx1}.
     */
    static void depthwise(int[] w, int[] x, int[] bias, int[] acc, int n, int fw, int base, int yStep, int xStep,
                          int fy0, int fy1, int fx0, int fx1) {
        for (int c = 0; c < n; c += LANES) {
            IntVector a = IntVector.fromArray(INTS, bias, c);
            for (int fy = fy0; fy < fy1; fy++) {
                int xr = base + fy * yStep + c, wr = fy * fw * n + c;
                for (int fx = fx0; fx < fx1; fx++) {
                    a = a.add(IntVector.fromArray(INTS, w, wr + fx * n).mul(IntVector.fromArray(INTS, x, xr + fx * xStep)));
                }
            }
            a.intoArray(acc, c);
        }
    }

    /** The float depthwise pixel: as the int one, sums starting at 0 (the bias is the caller's, added last). */
    static void depthwise(float[] w, float[] x, float[] acc, int n, int fw, int base, int yStep, int xStep,
                          int fy0, int fy1, int fx0, int fx1) {
        for (int c = 0; c < n; c += LANES) {
            FloatVector a = FloatVector.zero(FLOATS);
            for (int fy = fy0; fy < fy1; fy++) {
                int xr = base + fy * yStep + c, wr = fy * fw * n + c;
                for (int fx = fx0; fx < fx1; fx++) {
                    a = a.add(FloatVector.fromArray(FLOATS, x, xr + fx * xStep).mul(FloatVector.fromArray(FLOATS, w, wr + fx * n)));
                }
            }
            a.intoArray(acc, c);
        }
    }

    /**
     * Convolution pixel over weights {@code w[fy][fx][ic][p]} ({@code p} a multiple of {@link #LANES}, zero past the
     * output channels): for {@code oc < p}, {@code acc[oc] = bias[oc] + sum over taps (fy, fx) and ic < inD of
     * x[base + fy * yStep + fx * xStep + ic] * w[((fy * fw + fx) * inD + ic) * p + oc]}; four vectors of output
     * channels share each broadcast input value.
     */
    static void conv(int[] w, int[] x, int[] bias, int[] acc, int p, int inD, int fw, int base, int yStep, int xStep,
                     int fy0, int fy1, int fx0, int fx1) {
        int oc = 0;
        for (; oc + 4 * LANES <= p; oc += 4 * LANES) {
            IntVector a0 = IntVector.fromArray(INTS, bias, oc), a1 = IntVector.fromArray(INTS, bias, oc + LANES),
                    a2 = IntVector.fromArray(INTS, bias, oc + 2 * LANES), a3 = IntVector.fromArray(INTS, bias, oc + 3 * LANES);
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * inD * p + oc;
                    for (int ic = 0; ic < inD; ic++, wb += p) {
                        IntVector xv = IntVector.broadcast(INTS, x[xb + ic]);
                        a0 = a0.add(IntVector.fromArray(INTS, w, wb).mul(xv));
                        a1 = a1.add(IntVector.fromArray(INTS, w, wb + LANES).mul(xv));
                        a2 = a2.add(IntVector.fromArray(INTS, w, wb + 2 * LANES).mul(xv));
                        a3 = a3.add(IntVector.fromArray(INTS, w, wb + 3 * LANES).mul(xv));
                    }
                }
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            a2.intoArray(acc, oc + 2 * LANES);
            a3.intoArray(acc, oc + 3 * LANES);
        }
        for (; oc < p; oc += LANES) {
            IntVector a = IntVector.fromArray(INTS, bias, oc);
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * inD * p + oc;
                    for (int ic = 0; ic < inD; ic++, wb += p) {
                        a = a.add(IntVector.fromArray(INTS, w, wb).mul(IntVector.broadcast(INTS, x[xb + ic])));
                    }
                }
            }
            a.intoArray(acc, oc);
        }
    }

    /** The float convolution pixel: as the int one, sums starting at 0 (the bias is the caller's, added last). */
    static void conv(float[] w, float[] x, float[] acc, int p, int inD, int fw, int base, int yStep, int xStep,
                     int fy0, int fy1, int fx0, int fx1) {
        int oc = 0;
        for (; oc + 4 * LANES <= p; oc += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0;
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * inD * p + oc;
                    for (int ic = 0; ic < inD; ic++, wb += p) {
                        FloatVector xv = FloatVector.broadcast(FLOATS, x[xb + ic]);
                        a0 = a0.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb)));
                        a1 = a1.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + LANES)));
                        a2 = a2.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + 2 * LANES)));
                        a3 = a3.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + 3 * LANES)));
                    }
                }
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            a2.intoArray(acc, oc + 2 * LANES);
            a3.intoArray(acc, oc + 3 * LANES);
        }
        for (; oc < p; oc += LANES) {
            FloatVector a = FloatVector.zero(FLOATS);
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * inD * p + oc;
                    for (int ic = 0; ic < inD; ic++, wb += p) {
                        a = a.add(FloatVector.broadcast(FLOATS, x[xb + ic]).mul(FloatVector.fromArray(FLOATS, w, wb)));
                    }
                }
            }
            a.intoArray(acc, oc);
        }
    }
}
