package dev.minnow.math.fft;

import dev.minnow.util.LittleEndian;

/**
 * The forward real FFT of TFLM's Signal library in fixed point: kissfft v130 built with FIXED_POINT=16 (int16
 * samples, Q15 twiddles, int32 products; TFLM's {@code RfftInt16Apply}) or FIXED_POINT=32 (int32 samples, Q31
 * twiddles, int64 products; {@code RfftInt32Apply}). A complex FFT of half the length runs over the even/odd samples
 * packed as complex values, mixed radix 4, 2, 3, 5 and generic, every stage dividing its inputs by the radix (so the
 * result is the DFT divided by the FFT length), then the split into the real spectrum. Twiddles are
 * {@code floor(0.5 + SAMP_MAX cos(phase))} in double. Every product rounds as kissfft's {@code sround} (add half,
 * shift right by the fraction bits, keep the sample width), every sum wraps to the sample width as the C code stores
 * it, and intermediate products wrap at the C product type's width.
 *
 * <p>Built once (tables, factors, buffers); {@link #forward} allocates nothing.
 */
public final class KissFftrFixed {
    private final boolean wide;            // int32 samples (FIXED_POINT=32) rather than int16
    private final int fracBits;
    private final long sampMax;
    private final int nfft;
    private final int ncfft;
    private final int[] factors;
    private final long[] twiddles;         // ncfft complex (re, im interleaved), sign-extended samples
    private final long[] superTwiddles;    // ncfft / 2 complex
    private final long[] tmp;              // ncfft complex: the complex FFT's output
    private final long[] generic;          // scratch of the generic radix butterfly

    // the input of the running forward(): nfft samples, read as ncfft complex values
    private byte[] in;
    private int inOff;

    /** A plan for real input of {@code nfft} samples (even, positive) of {@code bits} = 16 or 32 bits. */
    public KissFftrFixed(int nfft, int bits) {
        if (nfft <= 0 || (nfft & 1) != 0) throw new IllegalArgumentException("real FFT length must be even and positive, got " + nfft);
        if (bits != 16 && bits != 32) throw new IllegalArgumentException("fixed-point kissfft has 16 or 32 bits, not " + bits);
        this.wide = bits == 32;
        this.fracBits = bits - 1;
        this.sampMax = (1L << fracBits) - 1;
        this.nfft = nfft;
        this.ncfft = nfft / 2;
        this.twiddles = new long[2 * ncfft];
        for (int i = 0; i < ncfft; i++) {
            double phase = -2 * Math.PI * i / ncfft;
            twiddles[2 * i] = cos(phase);
            twiddles[2 * i + 1] = sin(phase);
        }
        this.factors = KissFft.factor(ncfft);
        int maxRadix = 0;
        for (int i = 0; i < factors.length; i += 2) maxRadix = Math.max(maxRadix, factors[i]);
        this.generic = new long[2 * maxRadix];
        this.superTwiddles = new long[2 * (ncfft / 2)];
        for (int i = 0; i < ncfft / 2; i++) {
            double phase = -Math.PI * ((double) (i + 1) / ncfft + .5);
            superTwiddles[2 * i] = cos(phase);
            superTwiddles[2 * i + 1] = sin(phase);
        }
        this.tmp = new long[2 * ncfft];
    }

    public int length() { return nfft; }

    /** Complex outputs of {@link #forward}: nfft / 2 + 1. */
    public int outputBins() { return ncfft + 1; }

    /** Bytes per sample: 2 or 4. */
    public int sampleBytes() { return wide ? 4 : 2; }

    /** kissfft's KISS_FFT_COS for fixed point: computed in double (StrictMath), rounded half up, kept as a sample. */
    private long cos(double phase) { return store((long) Math.floor(.5 + sampMax * StrictMath.cos(phase))); }

    private long sin(double phase) { return store((long) Math.floor(.5 + sampMax * StrictMath.sin(phase))); }

    /**
     * Transforms {@code nfft} little-endian samples at {@code input[inputOffset]} into {@code nfft / 2 + 1} complex
     * values (real, imaginary) of the same width, little-endian at {@code output[outputOffset]}.
     */
    public void forward(byte[] input, int inputOffset, byte[] output, int outputOffset) {
        this.in = input;
        this.inOff = inputOffset;
        work(0, 0, 1, 0);
        this.in = null;
        long[] t = tmp;
        // DC and Nyquist from the first bin: its real part sums the even samples, its imaginary part the odd ones.
        long dcr = divScalar(t[0], 2), dci = divScalar(t[1], 2);
        put(output, outputOffset, 0, store(dcr + dci), 0);
        put(output, outputOffset, ncfft, store(dcr - dci), 0);
        for (int k = 1; k <= ncfft / 2; k++) {
            long fpkR = divScalar(t[2 * k], 2), fpkI = divScalar(t[2 * k + 1], 2);
            long fpnkR = divScalar(t[2 * (ncfft - k)], 2), fpnkI = divScalar(store(-t[2 * (ncfft - k) + 1]), 2);
            long f1kR = store(fpkR + fpnkR), f1kI = store(fpkI + fpnkI);
            long f2kR = store(fpkR - fpnkR), f2kI = store(fpkI - fpnkI);
            long twR = mulRe(f2kR, f2kI, superTwiddles, 2 * (k - 1));
            long twI = mulIm(f2kR, f2kI, superTwiddles, 2 * (k - 1));
            put(output, outputOffset, k, half(f1kR + twR), half(f1kI + twI));
            put(output, outputOffset, ncfft - k, half(f1kR - twR), half(twI - f1kI));
        }
    }

    private void put(byte[] out, int off, int bin, long re, long im) {
        if (wide) {
            LittleEndian.putInt(out, off + 8 * bin, (int) re);
            LittleEndian.putInt(out, off + 8 * bin + 4, (int) im);
        } else {
            LittleEndian.putShort(out, off + 4 * bin, (short) re);
            LittleEndian.putShort(out, off + 4 * bin + 2, (short) im);
        }
    }

    // ---- kissfft arithmetic ----

    /** A value as the sample type stores it: the low 16 or 32 bits, sign-extended. */
    private long store(long x) { return wide ? (int) x : (short) x; }

    /** A value as the product type (SAMPPROD: int32 for 16-bit samples, int64 for 32-bit ones) holds it. */
    private long product(long x) { return wide ? x : (int) x; }

    /** sround(x): add half, shift out the fraction bits in the product type, keep the sample width. */
    private long round(long x) { return store(product(product(x) + (1L << (fracBits - 1))) >> fracBits); }

    /** C_FIXDIV: multiply by SAMP_MAX / k. */
    private long divScalar(long x, int k) { return round(x * (sampMax / k)); }

    private long sMul(long a, long b) { return round(a * b); }

    private long mulRe(long ar, long ai, long[] b, int bi) { return round(product(ar * b[bi]) - product(ai * b[bi + 1])); }

    private long mulIm(long ar, long ai, long[] b, int bi) { return round(product(ar * b[bi + 1]) + product(ai * b[bi])); }

    /** HALF_OF of a sum of two samples: the sum is an int in C (wrapping for 32-bit samples), then shifted. */
    private long half(long sum) { return store(((int) sum) >> 1); }

    /** kf_work: the complex FFT of the sub-sequence starting at complex input {@code f}, {@code stride} apart. */
    private void work(int out, int f, int stride, int fi) {
        int p = factors[fi], m = factors[fi + 1];
        int end = out + p * m;
        long[] o = tmp;
        if (m == 1) {
            for (int k = out; k != end; k++, f += stride) {
                if (wide) {
                    o[2 * k] = LittleEndian.getInt(in, inOff + 8 * f);
                    o[2 * k + 1] = LittleEndian.getInt(in, inOff + 8 * f + 4);
                } else {
                    o[2 * k] = LittleEndian.getShort(in, inOff + 4 * f);
                    o[2 * k + 1] = LittleEndian.getShort(in, inOff + 4 * f + 2);
                }
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

    private void fixDiv(int k, int div) {
        tmp[2 * k] = divScalar(tmp[2 * k], div);
        tmp[2 * k + 1] = divScalar(tmp[2 * k + 1], div);
    }

    private void butterfly2(int f, int stride, int m) {
        long[] o = tmp, tw = twiddles;
        for (int k = 0, t1 = 0; k < m; k++, t1 += stride) {
            int a = f + k, b = a + m;
            fixDiv(a, 2);
            fixDiv(b, 2);
            long tr = mulRe(o[2 * b], o[2 * b + 1], tw, 2 * t1), ti = mulIm(o[2 * b], o[2 * b + 1], tw, 2 * t1);
            o[2 * b] = store(o[2 * a] - tr);
            o[2 * b + 1] = store(o[2 * a + 1] - ti);
            o[2 * a] = store(o[2 * a] + tr);
            o[2 * a + 1] = store(o[2 * a + 1] + ti);
        }
    }

    private void butterfly4(int f, int stride, int m) {
        long[] o = tmp, tw = twiddles;
        for (int k = 0; k < m; k++) {
            int a = f + k, b = a + m, c = a + 2 * m, d = a + 3 * m;
            fixDiv(a, 4);
            fixDiv(b, 4);
            fixDiv(c, 4);
            fixDiv(d, 4);
            int t1 = 2 * k * stride, t2 = 2 * (2 * k * stride), t3 = 2 * (3 * k * stride);
            long s0r = mulRe(o[2 * b], o[2 * b + 1], tw, t1), s0i = mulIm(o[2 * b], o[2 * b + 1], tw, t1);
            long s1r = mulRe(o[2 * c], o[2 * c + 1], tw, t2), s1i = mulIm(o[2 * c], o[2 * c + 1], tw, t2);
            long s2r = mulRe(o[2 * d], o[2 * d + 1], tw, t3), s2i = mulIm(o[2 * d], o[2 * d + 1], tw, t3);
            long s5r = store(o[2 * a] - s1r), s5i = store(o[2 * a + 1] - s1i);
            o[2 * a] = store(o[2 * a] + s1r);
            o[2 * a + 1] = store(o[2 * a + 1] + s1i);
            long s3r = store(s0r + s2r), s3i = store(s0i + s2i);
            long s4r = store(s0r - s2r), s4i = store(s0i - s2i);
            o[2 * c] = store(o[2 * a] - s3r);
            o[2 * c + 1] = store(o[2 * a + 1] - s3i);
            o[2 * a] = store(o[2 * a] + s3r);
            o[2 * a + 1] = store(o[2 * a + 1] + s3i);
            o[2 * b] = store(s5r + s4i);
            o[2 * b + 1] = store(s5i - s4r);
            o[2 * d] = store(s5r - s4i);
            o[2 * d + 1] = store(s5i + s4r);
        }
    }

    private void butterfly3(int f, int stride, int m) {
        long[] o = tmp, tw = twiddles;
        long epi3i = tw[2 * (stride * m) + 1];
        for (int k = 0; k < m; k++) {
            int a = f + k, b = a + m, c = a + 2 * m;
            fixDiv(a, 3);
            fixDiv(b, 3);
            fixDiv(c, 3);
            int t1 = 2 * (k * stride), t2 = 2 * (2 * k * stride);
            long s1r = mulRe(o[2 * b], o[2 * b + 1], tw, t1), s1i = mulIm(o[2 * b], o[2 * b + 1], tw, t1);
            long s2r = mulRe(o[2 * c], o[2 * c + 1], tw, t2), s2i = mulIm(o[2 * c], o[2 * c + 1], tw, t2);
            long s3r = store(s1r + s2r), s3i = store(s1i + s2i);
            long s0r = store(s1r - s2r), s0i = store(s1i - s2i);
            o[2 * b] = store(o[2 * a] - (s3r >> 1));
            o[2 * b + 1] = store(o[2 * a + 1] - (s3i >> 1));
            s0r = sMul(s0r, epi3i);
            s0i = sMul(s0i, epi3i);
            o[2 * a] = store(o[2 * a] + s3r);
            o[2 * a + 1] = store(o[2 * a + 1] + s3i);
            o[2 * c] = store(o[2 * b] + s0i);
            o[2 * c + 1] = store(o[2 * b + 1] - s0r);
            o[2 * b] = store(o[2 * b] - s0i);
            o[2 * b + 1] = store(o[2 * b + 1] + s0r);
        }
    }

    private void butterfly5(int f, int stride, int m) {
        long[] o = tmp, tw = twiddles;
        long yar = tw[2 * (stride * m)], yai = tw[2 * (stride * m) + 1];
        long ybr = tw[2 * (stride * 2 * m)], ybi = tw[2 * (stride * 2 * m) + 1];
        for (int u = 0; u < m; u++) {
            int f0 = f + u, f1 = f0 + m, f2 = f0 + 2 * m, f3 = f0 + 3 * m, f4 = f0 + 4 * m;
            fixDiv(f0, 5);
            fixDiv(f1, 5);
            fixDiv(f2, 5);
            fixDiv(f3, 5);
            fixDiv(f4, 5);
            long s0r = o[2 * f0], s0i = o[2 * f0 + 1];
            int t1 = 2 * (u * stride), t2 = 2 * (2 * u * stride), t3 = 2 * (3 * u * stride), t4 = 2 * (4 * u * stride);
            long s1r = mulRe(o[2 * f1], o[2 * f1 + 1], tw, t1), s1i = mulIm(o[2 * f1], o[2 * f1 + 1], tw, t1);
            long s2r = mulRe(o[2 * f2], o[2 * f2 + 1], tw, t2), s2i = mulIm(o[2 * f2], o[2 * f2 + 1], tw, t2);
            long s3r = mulRe(o[2 * f3], o[2 * f3 + 1], tw, t3), s3i = mulIm(o[2 * f3], o[2 * f3 + 1], tw, t3);
            long s4r = mulRe(o[2 * f4], o[2 * f4 + 1], tw, t4), s4i = mulIm(o[2 * f4], o[2 * f4 + 1], tw, t4);
            long s7r = store(s1r + s4r), s7i = store(s1i + s4i);
            long s10r = store(s1r - s4r), s10i = store(s1i - s4i);
            long s8r = store(s2r + s3r), s8i = store(s2i + s3i);
            long s9r = store(s2r - s3r), s9i = store(s2i - s3i);
            o[2 * f0] = store(o[2 * f0] + (s7r + s8r));
            o[2 * f0 + 1] = store(o[2 * f0 + 1] + (s7i + s8i));
            long s5r = store(s0r + sMul(s7r, yar) + sMul(s8r, ybr));
            long s5i = store(s0i + sMul(s7i, yar) + sMul(s8i, ybr));
            long s6r = store(sMul(s10i, yai) + sMul(s9i, ybi));
            long s6i = store(-sMul(s10r, yai) - sMul(s9r, ybi));
            o[2 * f1] = store(s5r - s6r);
            o[2 * f1 + 1] = store(s5i - s6i);
            o[2 * f4] = store(s5r + s6r);
            o[2 * f4 + 1] = store(s5i + s6i);
            long s11r = store(s0r + sMul(s7r, ybr) + sMul(s8r, yar));
            long s11i = store(s0i + sMul(s7i, ybr) + sMul(s8i, yar));
            long s12r = store(-sMul(s10i, ybi) + sMul(s9i, yai));
            long s12i = store(sMul(s10r, ybi) - sMul(s9r, yai));
            o[2 * f2] = store(s11r + s12r);
            o[2 * f2 + 1] = store(s11i + s12i);
            o[2 * f3] = store(s11r - s12r);
            o[2 * f3 + 1] = store(s11i - s12i);
        }
    }

    private void butterflyGeneric(int f, int stride, int m, int p) {
        long[] o = tmp, tw = twiddles, s = generic;
        for (int u = 0; u < m; u++) {
            for (int q1 = 0, k = f + u; q1 < p; q1++, k += m) {
                s[2 * q1] = divScalar(o[2 * k], p);
                s[2 * q1 + 1] = divScalar(o[2 * k + 1], p);
            }
            for (int q1 = 0, k = u; q1 < p; q1++, k += m) {
                int idx = f + k;
                int twidx = 0;
                o[2 * idx] = s[0];
                o[2 * idx + 1] = s[1];
                for (int q = 1; q < p; q++) {
                    twidx += stride * k;
                    if (twidx >= ncfft) twidx -= ncfft;
                    long tr = mulRe(s[2 * q], s[2 * q + 1], tw, 2 * twidx), ti = mulIm(s[2 * q], s[2 * q + 1], tw, 2 * twidx);
                    o[2 * idx] = store(o[2 * idx] + tr);
                    o[2 * idx + 1] = store(o[2 * idx + 1] + ti);
                }
            }
        }
    }
}
