package dev.minnow.kernels;

import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * Shared pieces of the fast kernels ({@link FastFullyConnected}, {@link FastConv2D}, {@link FastDepthwiseConv2D}):
 * weights and biases read into int or float arrays at prepare, the input widened once per invoke, the window's valid
 * filter taps per output row and column. The loops these feed run over output channels with the channel innermost
 * (a loop the JIT vectorises); every output keeps the reference's order of accumulation, and integer sums are exact
 * modulo 2^32 in any order, so the bytes equal the reference loops'.
 */
final class FastLoops {
    private FastLoops() {}

    /**
     * Whether the fast kernels run on the Vector API ({@link #dot}, and the conv loops of {@link VectorConv}): the JVM
     * has {@code jdk.incubator.vector} and the system property {@code minnow.vectorApi} is not false.
     */
    static final boolean VECTOR_API = !"false".equalsIgnoreCase(System.getProperty("minnow.vectorApi"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /**
     * {@code acc[t] += w0 * x0[t] + w1 * x1[t] + w2 * x2[t] + w3 * x3[t]} for {@code t < n}, wrapping as int: the planar
     * conv loop, every array indexed by the pixel alone so that C2 on JDK 17 vectorises it over the pixels.
     */
    static void madd4(int[] acc, int n, int[] x0, int w0, int[] x1, int w1, int[] x2, int w2, int[] x3, int w3) {
        for (int t = 0; t < n; t++) acc[t] += w0 * x0[t] + w1 * x1[t] + w2 * x2[t] + w3 * x3[t];
    }

    /** {@code acc[t] = b + w0 * x0[t] + w1 * x1[t] + w2 * x2[t] + w3 * x3[t]} for {@code t < n}, wrapping as int: {@link #madd4}'s first pass. */
    static void set4(int[] acc, int n, int b, int[] x0, int w0, int[] x1, int w1, int[] x2, int w2, int[] x3, int w3) {
        for (int t = 0; t < n; t++) acc[t] = b + w0 * x0[t] + w1 * x1[t] + w2 * x2[t] + w3 * x3[t];
    }

    /**
     * {@code packed[i]}: the low bytes of {@code b0[i]} to {@code b3[i]} as one little-endian int, for {@code i < n}:
     * every array indexed by i alone, so C2 on JDK 17 vectorises it (it leaves int-to-byte stores scalar).
     */
    static void pack(int[] b0, int[] b1, int[] b2, int[] b3, int n, int[] packed) {
        for (int i = 0; i < n; i++) packed[i] = (b0[i] & 0xFF) | (b1[i] & 0xFF) << 8 | (b2[i] & 0xFF) << 16 | b3[i] << 24;
    }

    /**
     * The four int8 values at {@code in[at + t * step ...]}, each plus {@code offset}, into {@code l0[t]} to
     * {@code l3[t]} for {@code t < n}: one little-endian int load per four values where a byte gather loads each
     * ({@link #pack}'s inverse; the index a second induction variable, as {@link RequantLoops#narrow}'s).
     */
    static void unpack4(byte[] in, int at, int step, int n, int offset, int[] l0, int[] l1, int[] l2, int[] l3) {
        for (int t = 0, p = at; t < n; t++, p += step) {
            int v = LittleEndian.getInt(in, p);
            l0[t] = (v << 24 >> 24) + offset;
            l1[t] = (v << 16 >> 24) + offset;
            l2[t] = (v << 8 >> 24) + offset;
            l3[t] = (v >> 24) + offset;
        }
    }

    /** {@code flat} cut into rows of {@code n}: loops indexed by the element alone vectorise on JDK 17's C2, offset ones do not. */
    static int[][] rows(int[] flat, int n) {
        int[][] rows = new int[flat.length / n][];
        for (int r = 0; r < rows.length; r++) rows[r] = java.util.Arrays.copyOfRange(flat, r * n, r * n + n);
        return rows;
    }

    /** {@code flat} cut into rows of {@code n}, as {@link #rows(int[], int)}. */
    static float[][] rows(float[] flat, int n) {
        float[][] rows = new float[flat.length / n][];
        for (int r = 0; r < rows.length; r++) rows[r] = java.util.Arrays.copyOfRange(flat, r * n, r * n + n);
        return rows;
    }


    static boolean fixed(Tensor t) { return t == null || t.isConstant(); }

    /** An int32 bias as ints ({@code n} zeros when absent). */
    static int[] intBias(Tensor bias, int n) {
        int[] b = new int[n];
        if (bias != null) for (int c = 0; c < n; c++) b[c] = LittleEndian.getInt(bias.array(), bias.offset() + 4 * c);
        return b;
    }

    /** A float32 bias as floats ({@code n} zeros when absent: the reference adds 0f then too). */
    static float[] floatBias(Tensor bias, int n) {
        float[] b = new float[n];
        if (bias != null) for (int c = 0; c < n; c++) b[c] = LittleEndian.getFloat(bias.array(), bias.offset() + 4 * c);
        return b;
    }

    /** {@code n} int8 values from {@code a[off...]} widened to int, plus {@code offset}, into {@code dst}. */
    static void widen(byte[] a, int off, int n, int offset, int[] dst) {
        for (int i = 0; i < n; i++) dst[i] = a[off + i] + offset;
    }

    /** {@code n} little-endian float32 values from {@code a[off...]} into {@code dst}. */
    static void floats(byte[] a, int off, int n, float[] dst) {
        for (int i = 0; i < n; i++) dst[i] = LittleEndian.getFloat(a, off + 4 * i);
    }

    /**
     * For each output position {@code o} along one axis, the filter taps {@code [lo[o], hi[o])} whose input position
     * {@code o * stride - pad + dilation * k} lies inside {@code [0, inSize)}: what the reference checks tap by tap.
     * The valid taps are contiguous, as the input position grows with the tap index.
     */
    static int[][] tapRanges(int outSize, int inSize, int filterSize, int stride, int dilation, int pad) {
        int[] lo = new int[outSize], hi = new int[outSize];
        for (int o = 0; o < outSize; o++) {
            int start = o * stride - pad;
            int k0 = 0;
            while (k0 < filterSize && start + dilation * k0 < 0) k0++;
            int k1 = k0;
            while (k1 < filterSize && start + dilation * k1 >= 0 && start + dilation * k1 < inSize) k1++;
            lo[o] = k0;
            hi[o] = k1;
        }
        return new int[][] {lo, hi};
    }

    /**
     * The float convolutions' output stage over sums that started at +0.0: {@code acc[k] = min(max(acc[k] + bias[k],
     * lo), hi)} for {@code k < n}, in a loop C2 on JDK 17 vectorises (it leaves {@link KernelUtil#clamp}'s
     * compare-selects scalar). Equal to {@code KernelUtil.clamp(acc[k] + bias[k], lo, hi)}: the two differ only on a
     * -0.0 below a +0.0 bound, and a sum that starts at +0.0 never is -0.0 (round to nearest gives -0.0 only for
     * -0.0 + -0.0), nor is it plus a bias; NaN stays NaN either way.
     */
    static void floatOutputs(float[] acc, float[] bias, int n, float lo, float hi) {
        for (int k = 0; k < n; k++) acc[k] = Math.min(Math.max(acc[k] + bias[k], lo), hi);
    }

    /** As {@link #floatOutputs(float[], float[], int, float, float)} with one bias for {@code acc[from .. to)}. */
    static void floatOutputs(float[] acc, int from, int to, float bias, float lo, float hi) {
        for (int k = from; k < to; k++) acc[k] = Math.min(Math.max(acc[k] + bias, lo), hi);
    }
}
