package dev.minnow.math.fft;

import dev.minnow.util.LittleEndian;

/**
 * The forward real FFT of TFLM's Signal library in float32 (kissfft v130 without FIXED_POINT, TFLM's
 * {@code RfftFloatApply}): the same mixed-radix plan as {@link KissFftrFixed} with float twiddles
 * ({@code (float) cos(phase)} of a double phase, StrictMath) and no per-stage scaling, so the result is the
 * unscaled DFT. Every float operation is done in kissfft's order, one rounding each (Java never fuses a multiply
 * and an add; TFLM's goldens come from builds without FMA contraction). HALF_OF is TFLM's patched
 * {@code x * 0.5f}.
 *
 * <p>Built once (tables, factors, buffers); {@link #forward} allocates nothing.
 */
public final class KissFftrFloat {
    private final int nfft;
    private final int ncfft;
    private final int[] factors;
    private final float[] twiddles;
    private final float[] superTwiddles;
    private final float[] tmp;
    private final float[] generic;

    private byte[] in;
    private int inOff;

    /** A plan for real input of {@code nfft} samples (even, positive). */
    public KissFftrFloat(int nfft) {
        if (nfft <= 0 || (nfft & 1) != 0) throw new IllegalArgumentException("real FFT length must be even and positive, got " + nfft);
        this.nfft = nfft;
        this.ncfft = nfft / 2;
        this.twiddles = new float[2 * ncfft];
        for (int i = 0; i < ncfft; i++) {
            double phase = -2 * Math.PI * i / ncfft;
            twiddles[2 * i] = (float) StrictMath.cos(phase);
            twiddles[2 * i + 1] = (float) StrictMath.sin(phase);
        }
        this.factors = KissFft.factor(ncfft);
        int maxRadix = 0;
        for (int i = 0; i < factors.length; i += 2) maxRadix = Math.max(maxRadix, factors[i]);
        this.generic = new float[2 * maxRadix];
        this.superTwiddles = new float[2 * (ncfft / 2)];
        for (int i = 0; i < ncfft / 2; i++) {
            double phase = -Math.PI * ((double) (i + 1) / ncfft + .5);
            superTwiddles[2 * i] = (float) StrictMath.cos(phase);
            superTwiddles[2 * i + 1] = (float) StrictMath.sin(phase);
        }
        this.tmp = new float[2 * ncfft];
    }

    public int length() { return nfft; }

    /**
     * Transforms {@code nfft} little-endian float32 samples at {@code input[inputOffset]} into {@code nfft / 2 + 1}
     * complex values (real, imaginary), little-endian float32 at {@code output[outputOffset]}.
     */
    public void forward(byte[] input, int inputOffset, byte[] output, int outputOffset) {
        this.in = input;
        this.inOff = inputOffset;
        work(0, 0, 1, 0);
        this.in = null;
        float[] t = tmp;
        float dcr = t[0], dci = t[1];
        put(output, outputOffset, 0, dcr + dci, 0f);
        put(output, outputOffset, ncfft, dcr - dci, 0f);
        for (int k = 1; k <= ncfft / 2; k++) {
            float fpkR = t[2 * k], fpkI = t[2 * k + 1];
            float fpnkR = t[2 * (ncfft - k)], fpnkI = -t[2 * (ncfft - k) + 1];
            float f1kR = fpkR + fpnkR, f1kI = fpkI + fpnkI;
            float f2kR = fpkR - fpnkR, f2kI = fpkI - fpnkI;
            int s = 2 * (k - 1);
            float twR = f2kR * superTwiddles[s] - f2kI * superTwiddles[s + 1];
            float twI = f2kR * superTwiddles[s + 1] + f2kI * superTwiddles[s];
            put(output, outputOffset, k, (f1kR + twR) * .5f, (f1kI + twI) * .5f);
            put(output, outputOffset, ncfft - k, (f1kR - twR) * .5f, (twI - f1kI) * .5f);
        }
    }

    private static void put(byte[] out, int off, int bin, float re, float im) {
        LittleEndian.putFloat(out, off + 8 * bin, re);
        LittleEndian.putFloat(out, off + 8 * bin + 4, im);
    }

    private void work(int out, int f, int stride, int fi) {
        int p = factors[fi], m = factors[fi + 1];
        int end = out + p * m;
        float[] o = tmp;
        if (m == 1) {
            for (int k = out; k != end; k++, f += stride) {
                o[2 * k] = LittleEndian.getFloat(in, inOff + 8 * f);
                o[2 * k + 1] = LittleEndian.getFloat(in, inOff + 8 * f + 4);
            }
        } else {
            for (int k = out; k != end; k += m, f += stride) work(k, f, stride * p, fi + 2);
        }
        switch (p) {
            case 2 -> butterfly2(out, stride, m);
            case 3 -> butterfly3(out, stride, m);
            case 4 -> butterfly4(out, stride, m);
            case 5 -> butterfly5(out, stride, m);
            default -> butterflyGeneric(out, stride, m, p);
        }
    }

    private static float mulRe(float ar, float ai, float[] b, int bi) { return ar * b[bi] - ai * b[bi + 1]; }

    private static float mulIm(float ar, float ai, float[] b, int bi) { return ar * b[bi + 1] + ai * b[bi]; }

    private void butterfly2(int f, int stride, int m) {
        float[] o = tmp, tw = twiddles;
        for (int k = 0, t1 = 0; k < m; k++, t1 += stride) {
            int a = f + k, b = a + m;
            float tr = mulRe(o[2 * b], o[2 * b + 1], tw, 2 * t1), ti = mulIm(o[2 * b], o[2 * b + 1], tw, 2 * t1);
            o[2 * b] = o[2 * a] - tr;
            o[2 * b + 1] = o[2 * a + 1] - ti;
            o[2 * a] += tr;
            o[2 * a + 1] += ti;
        }
    }

    private void butterfly4(int f, int stride, int m) {
        float[] o = tmp, tw = twiddles;
        for (int k = 0; k < m; k++) {
            int a = f + k, b = a + m, c = a + 2 * m, d = a + 3 * m;
            int t1 = 2 * k * stride, t2 = 2 * (2 * k * stride), t3 = 2 * (3 * k * stride);
            float s0r = mulRe(o[2 * b], o[2 * b + 1], tw, t1), s0i = mulIm(o[2 * b], o[2 * b + 1], tw, t1);
            float s1r = mulRe(o[2 * c], o[2 * c + 1], tw, t2), s1i = mulIm(o[2 * c], o[2 * c + 1], tw, t2);
            float s2r = mulRe(o[2 * d], o[2 * d + 1], tw, t3), s2i = mulIm(o[2 * d], o[2 * d + 1], tw, t3);
            float s5r = o[2 * a] - s1r, s5i = o[2 * a + 1] - s1i;
            o[2 * a] += s1r;
            o[2 * a + 1] += s1i;
            float s3r = s0r + s2r, s3i = s0i + s2i;
            float s4r = s0r - s2r, s4i = s0i - s2i;
            o[2 * c] = o[2 * a] - s3r;
            o[2 * c + 1] = o[2 * a + 1] - s3i;
            o[2 * a] += s3r;
            o[2 * a + 1] += s3i;
            o[2 * b] = s5r + s4i;
            o[2 * b + 1] = s5i - s4r;
            o[2 * d] = s5r - s4i;
            o[2 * d + 1] = s5i + s4r;
        }
    }

    private void butterfly3(int f, int stride, int m) {
        float[] o = tmp, tw = twiddles;
        float epi3i = tw[2 * (stride * m) + 1];
        for (int k = 0; k < m; k++) {
            int a = f + k, b = a + m, c = a + 2 * m;
            int t1 = 2 * (k * stride), t2 = 2 * (2 * k * stride);
            float s1r = mulRe(o[2 * b], o[2 * b + 1], tw, t1), s1i = mulIm(o[2 * b], o[2 * b + 1], tw, t1);
            float s2r = mulRe(o[2 * c], o[2 * c + 1], tw, t2), s2i = mulIm(o[2 * c], o[2 * c + 1], tw, t2);
            float s3r = s1r + s2r, s3i = s1i + s2i;
            float s0r = s1r - s2r, s0i = s1i - s2i;
            o[2 * b] = o[2 * a] - s3r * .5f;
            o[2 * b + 1] = o[2 * a + 1] - s3i * .5f;
            s0r *= epi3i;
            s0i *= epi3i;
            o[2 * a] += s3r;
            o[2 * a + 1] += s3i;
            o[2 * c] = o[2 * b] + s0i;
            o[2 * c + 1] = o[2 * b + 1] - s0r;
            o[2 * b] -= s0i;
            o[2 * b + 1] += s0r;
        }
    }

    private void butterfly5(int f, int stride, int m) {
        float[] o = tmp, tw = twiddles;
        float yar = tw[2 * (stride * m)], yai = tw[2 * (stride * m) + 1];
        float ybr = tw[2 * (stride * 2 * m)], ybi = tw[2 * (stride * 2 * m) + 1];
        for (int u = 0; u < m; u++) {
            int f0 = f + u, f1 = f0 + m, f2 = f0 + 2 * m, f3 = f0 + 3 * m, f4 = f0 + 4 * m;
            float s0r = o[2 * f0], s0i = o[2 * f0 + 1];
            int t1 = 2 * (u * stride), t2 = 2 * (2 * u * stride), t3 = 2 * (3 * u * stride), t4 = 2 * (4 * u * stride);
            float s1r = mulRe(o[2 * f1], o[2 * f1 + 1], tw, t1), s1i = mulIm(o[2 * f1], o[2 * f1 + 1], tw, t1);
            float s2r = mulRe(o[2 * f2], o[2 * f2 + 1], tw, t2), s2i = mulIm(o[2 * f2], o[2 * f2 + 1], tw, t2);
            float s3r = mulRe(o[2 * f3], o[2 * f3 + 1], tw, t3), s3i = mulIm(o[2 * f3], o[2 * f3 + 1], tw, t3);
            float s4r = mulRe(o[2 * f4], o[2 * f4 + 1], tw, t4), s4i = mulIm(o[2 * f4], o[2 * f4 + 1], tw, t4);
            float s7r = s1r + s4r, s7i = s1i + s4i;
            float s10r = s1r - s4r, s10i = s1i - s4i;
            float s8r = s2r + s3r, s8i = s2i + s3i;
            float s9r = s2r - s3r, s9i = s2i - s3i;
            o[2 * f0] += s7r + s8r;
            o[2 * f0 + 1] += s7i + s8i;
            float s5r = s0r + s7r * yar + s8r * ybr;
            float s5i = s0i + s7i * yar + s8i * ybr;
            float s6r = s10i * yai + s9i * ybi;
            float s6i = -(s10r * yai) - s9r * ybi;
            o[2 * f1] = s5r - s6r;
            o[2 * f1 + 1] = s5i - s6i;
            o[2 * f4] = s5r + s6r;
            o[2 * f4 + 1] = s5i + s6i;
            float s11r = s0r + s7r * ybr + s8r * yar;
            float s11i = s0i + s7i * ybr + s8i * yar;
            float s12r = -(s10i * ybi) + s9i * yai;
            float s12i = s10r * ybi - s9r * yai;
            o[2 * f2] = s11r + s12r;
            o[2 * f2 + 1] = s11i + s12i;
            o[2 * f3] = s11r - s12r;
            o[2 * f3 + 1] = s11i - s12i;
        }
    }

    private void butterflyGeneric(int f, int stride, int m, int p) {
        float[] o = tmp, tw = twiddles, s = generic;
        for (int u = 0; u < m; u++) {
            for (int q1 = 0, k = f + u; q1 < p; q1++, k += m) {
                s[2 * q1] = o[2 * k];
                s[2 * q1 + 1] = o[2 * k + 1];
            }
            for (int q1 = 0, k = u; q1 < p; q1++, k += m) {
                int idx = f + k;
                int twidx = 0;
                o[2 * idx] = s[0];
                o[2 * idx + 1] = s[1];
                for (int q = 1; q < p; q++) {
                    twidx += stride * k;
                    if (twidx >= ncfft) twidx -= ncfft;
                    o[2 * idx] += mulRe(s[2 * q], s[2 * q + 1], tw, 2 * twidx);
                    o[2 * idx + 1] += mulIm(s[2 * q], s[2 * q + 1], tw, 2 * twidx);
                }
            }
        }
    }
}
