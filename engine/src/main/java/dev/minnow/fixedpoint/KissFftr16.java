package dev.minnow.fixedpoint;

import dev.minnow.util.LittleEndian;

/**
 * The forward real FFT of TFLM's Signal library in int16 (kissfft v130 built with FIXED_POINT=16, which TFLM's
 * {@code RfftInt16Apply} runs): a complex FFT of half the length over the even/odd samples packed as complex
 * values, mixed radix 4, 2, 3, 5 and generic, every stage dividing its inputs by the radix so the result is the DFT
 * divided by the FFT length, then the split into the real spectrum. Twiddles are Q15,
 * {@code floor(0.5 + 32767 cos(phase))} in double. Every product rounds as kissfft's {@code sround}
 * (add 2^14, shift right 15, keep 16 bits) and every sum wraps to 16 bits, as the C code stores it.
 *
 * <p>Built once (tables, factors, buffers); {@link #forward} allocates nothing.
 */
public final class KissFftr16 {
    private static final int SAMP_MAX = 32767;

    private final int nfft;
    private final int ncfft;
    private final int[] factors;
    private final short[] twiddles;       // ncfft complex (re, im interleaved)
    private final short[] superTwiddles;  // ncfft / 2 complex
    private final short[] tmp;            // ncfft complex: the complex FFT's output
    private final short[] generic;        // scratch of the generic radix butterfly

    // the input of the running forward(): nfft int16 samples, read as ncfft complex values
    private byte[] in;
    private int inOff;

    /** A plan for real input of {@code nfft} samples (even, positive). */
    public KissFftr16(int nfft) {
        if (nfft <= 0 || (nfft & 1) != 0) throw new IllegalArgumentException("real FFT length must be even and positive, got " + nfft);
        this.nfft = nfft;
        this.ncfft = nfft / 2;
        this.twiddles = new short[2 * ncfft];
        for (int i = 0; i < ncfft; i++) {
            double phase = -2 * Math.PI * i / ncfft;
            twiddles[2 * i] = q15Cos(phase);
            twiddles[2 * i + 1] = q15Sin(phase);
        }
        this.factors = factor(ncfft);
        int maxRadix = 0;
        for (int i = 0; i < factors.length; i += 2) maxRadix = Math.max(maxRadix, factors[i]);
        this.generic = new short[2 * maxRadix];
        this.superTwiddles = new short[2 * (ncfft / 2)];
        for (int i = 0; i < ncfft / 2; i++) {
            double phase = -Math.PI * ((double) (i + 1) / ncfft + .5);
            superTwiddles[2 * i] = q15Cos(phase);
            superTwiddles[2 * i + 1] = q15Sin(phase);
        }
        this.tmp = new short[2 * ncfft];
    }

    public int length() { return nfft; }

    /** Complex outputs of {@link #forward}: nfft / 2 + 1. */
    public int outputBins() { return ncfft + 1; }

    /** kissfft's KISS_FFT_COS for fixed point: computed in double (StrictMath), rounded half up, kept as int16. */
    static short q15Cos(double phase) { return (short) Math.floor(.5 + SAMP_MAX * StrictMath.cos(phase)); }

    static short q15Sin(double phase) { return (short) Math.floor(.5 + SAMP_MAX * StrictMath.sin(phase)); }

    /**
     * kissfft's factorisation: powers of 4 first, then 2, then odd numbers up to floor(sqrt(n)), then the rest;
     * pairs of (radix, remaining length).
     */
    static int[] factor(int n) {
        int[] buf = new int[64];
        int len = 0;
        int p = 4;
        double floorSqrt = Math.floor(Math.sqrt(n));
        do {
            while (n % p != 0) {
                p = switch (p) {
                    case 4 -> 2;
                    case 2 -> 3;
                    default -> p + 2;
                };
                if (p > floorSqrt) p = n;
            }
            n /= p;
            buf[len++] = p;
            buf[len++] = n;
        } while (n > 1);
        return java.util.Arrays.copyOf(buf, len);
    }

    /**
     * Transforms {@code nfft} little-endian int16 samples at {@code input[inputOffset]} into {@code nfft / 2 + 1}
     * complex int16 values (real, imaginary), little-endian at {@code output[outputOffset]}.
     */
    public void forward(byte[] input, int inputOffset, byte[] output, int outputOffset) {
        this.in = input;
        this.inOff = inputOffset;
        work(0, 0, 1, 0);
        this.in = null;
        short[] t = tmp;
        // DC and Nyquist from the first bin: its real part sums the even samples, its imaginary part the odd ones.
        short dcr = divScalar(t[0], 2), dci = divScalar(t[1], 2);
        put(output, outputOffset, 0, (short) (dcr + dci), (short) 0);
        put(output, outputOffset, ncfft, (short) (dcr - dci), (short) 0);
        for (int k = 1; k <= ncfft / 2; k++) {
            short fpkR = divScalar(t[2 * k], 2), fpkI = divScalar(t[2 * k + 1], 2);
            short fpnkR = divScalar(t[2 * (ncfft - k)], 2), fpnkI = divScalar((short) -t[2 * (ncfft - k) + 1], 2);
            short f1kR = (short) (fpkR + fpnkR), f1kI = (short) (fpkI + fpnkI);
            short f2kR = (short) (fpkR - fpnkR), f2kI = (short) (fpkI - fpnkI);
            short twR = mulRe(f2kR, f2kI, superTwiddles, 2 * (k - 1));
            short twI = mulIm(f2kR, f2kI, superTwiddles, 2 * (k - 1));
            put(output, outputOffset, k, (short) ((f1kR + twR) >> 1), (short) ((f1kI + twI) >> 1));
            put(output, outputOffset, ncfft - k, (short) ((f1kR - twR) >> 1), (short) ((twI - f1kI) >> 1));
        }
    }

    private static void put(byte[] out, int off, int bin, short re, short im) {
        LittleEndian.putShort(out, off + 4 * bin, re);
        LittleEndian.putShort(out, off + 4 * bin + 2, im);
    }

    // ---- kissfft arithmetic ----

    /** sround(x): round a Q30 product to Q15, keeping 16 bits. */
    private static short round(int x) { return (short) ((x + (1 << 14)) >> 15); }

    /** C_FIXDIV: multiply by SAMP_MAX / k. */
    private static short divScalar(short x, int k) { return round(x * (SAMP_MAX / k)); }

    private static short sMul(short a, short b) { return round(a * b); }

    private static short mulRe(short ar, short ai, short[] b, int bi) { return round(ar * b[bi] - ai * b[bi + 1]); }

    private static short mulIm(short ar, short ai, short[] b, int bi) { return round(ar * b[bi + 1] + ai * b[bi]); }

    /** kf_work: the complex FFT of the sub-sequence starting at complex input {@code f}, {@code stride} apart. */
    private void work(int out, int f, int stride, int fi) {
        int p = factors[fi], m = factors[fi + 1];
        int end = out + p * m;
        short[] o = tmp;
        if (m == 1) {
            for (int k = out; k != end; k++, f += stride) {
                o[2 * k] = LittleEndian.getShort(in, inOff + 4 * f);
                o[2 * k + 1] = LittleEndian.getShort(in, inOff + 4 * f + 2);
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
        short[] o = tmp, tw = twiddles;
        for (int k = 0, t1 = 0; k < m; k++, t1 += stride) {
            int a = f + k, b = a + m;
            fixDiv(a, 2);
            fixDiv(b, 2);
            short tr = mulRe(o[2 * b], o[2 * b + 1], tw, 2 * t1), ti = mulIm(o[2 * b], o[2 * b + 1], tw, 2 * t1);
            o[2 * b] = (short) (o[2 * a] - tr);
            o[2 * b + 1] = (short) (o[2 * a + 1] - ti);
            o[2 * a] = (short) (o[2 * a] + tr);
            o[2 * a + 1] = (short) (o[2 * a + 1] + ti);
        }
    }

    private void butterfly4(int f, int stride, int m) {
        short[] o = tmp, tw = twiddles;
        for (int k = 0; k < m; k++) {
            int a = f + k, b = a + m, c = a + 2 * m, d = a + 3 * m;
            fixDiv(a, 4);
            fixDiv(b, 4);
            fixDiv(c, 4);
            fixDiv(d, 4);
            int t1 = 2 * k * stride, t2 = 2 * (2 * k * stride), t3 = 2 * (3 * k * stride);
            short s0r = mulRe(o[2 * b], o[2 * b + 1], tw, t1), s0i = mulIm(o[2 * b], o[2 * b + 1], tw, t1);
            short s1r = mulRe(o[2 * c], o[2 * c + 1], tw, t2), s1i = mulIm(o[2 * c], o[2 * c + 1], tw, t2);
            short s2r = mulRe(o[2 * d], o[2 * d + 1], tw, t3), s2i = mulIm(o[2 * d], o[2 * d + 1], tw, t3);
            short s5r = (short) (o[2 * a] - s1r), s5i = (short) (o[2 * a + 1] - s1i);
            o[2 * a] = (short) (o[2 * a] + s1r);
            o[2 * a + 1] = (short) (o[2 * a + 1] + s1i);
            short s3r = (short) (s0r + s2r), s3i = (short) (s0i + s2i);
            short s4r = (short) (s0r - s2r), s4i = (short) (s0i - s2i);
            o[2 * c] = (short) (o[2 * a] - s3r);
            o[2 * c + 1] = (short) (o[2 * a + 1] - s3i);
            o[2 * a] = (short) (o[2 * a] + s3r);
            o[2 * a + 1] = (short) (o[2 * a + 1] + s3i);
            o[2 * b] = (short) (s5r + s4i);
            o[2 * b + 1] = (short) (s5i - s4r);
            o[2 * d] = (short) (s5r - s4i);
            o[2 * d + 1] = (short) (s5i + s4r);
        }
    }

    private void butterfly3(int f, int stride, int m) {
        short[] o = tmp, tw = twiddles;
        short epi3i = tw[2 * (stride * m) + 1];
        for (int k = 0; k < m; k++) {
            int a = f + k, b = a + m, c = a + 2 * m;
            fixDiv(a, 3);
            fixDiv(b, 3);
            fixDiv(c, 3);
            int t1 = 2 * (k * stride), t2 = 2 * (2 * k * stride);
            short s1r = mulRe(o[2 * b], o[2 * b + 1], tw, t1), s1i = mulIm(o[2 * b], o[2 * b + 1], tw, t1);
            short s2r = mulRe(o[2 * c], o[2 * c + 1], tw, t2), s2i = mulIm(o[2 * c], o[2 * c + 1], tw, t2);
            short s3r = (short) (s1r + s2r), s3i = (short) (s1i + s2i);
            short s0r = (short) (s1r - s2r), s0i = (short) (s1i - s2i);
            o[2 * b] = (short) (o[2 * a] - (s3r >> 1));
            o[2 * b + 1] = (short) (o[2 * a + 1] - (s3i >> 1));
            s0r = sMul(s0r, epi3i);
            s0i = sMul(s0i, epi3i);
            o[2 * a] = (short) (o[2 * a] + s3r);
            o[2 * a + 1] = (short) (o[2 * a + 1] + s3i);
            o[2 * c] = (short) (o[2 * b] + s0i);
            o[2 * c + 1] = (short) (o[2 * b + 1] - s0r);
            o[2 * b] = (short) (o[2 * b] - s0i);
            o[2 * b + 1] = (short) (o[2 * b + 1] + s0r);
        }
    }

    private void butterfly5(int f, int stride, int m) {
        short[] o = tmp, tw = twiddles;
        short yar = tw[2 * (stride * m)], yai = tw[2 * (stride * m) + 1];
        short ybr = tw[2 * (stride * 2 * m)], ybi = tw[2 * (stride * 2 * m) + 1];
        for (int u = 0; u < m; u++) {
            int f0 = f + u, f1 = f0 + m, f2 = f0 + 2 * m, f3 = f0 + 3 * m, f4 = f0 + 4 * m;
            fixDiv(f0, 5);
            fixDiv(f1, 5);
            fixDiv(f2, 5);
            fixDiv(f3, 5);
            fixDiv(f4, 5);
            short s0r = o[2 * f0], s0i = o[2 * f0 + 1];
            int t1 = 2 * (u * stride), t2 = 2 * (2 * u * stride), t3 = 2 * (3 * u * stride), t4 = 2 * (4 * u * stride);
            short s1r = mulRe(o[2 * f1], o[2 * f1 + 1], tw, t1), s1i = mulIm(o[2 * f1], o[2 * f1 + 1], tw, t1);
            short s2r = mulRe(o[2 * f2], o[2 * f2 + 1], tw, t2), s2i = mulIm(o[2 * f2], o[2 * f2 + 1], tw, t2);
            short s3r = mulRe(o[2 * f3], o[2 * f3 + 1], tw, t3), s3i = mulIm(o[2 * f3], o[2 * f3 + 1], tw, t3);
            short s4r = mulRe(o[2 * f4], o[2 * f4 + 1], tw, t4), s4i = mulIm(o[2 * f4], o[2 * f4 + 1], tw, t4);
            short s7r = (short) (s1r + s4r), s7i = (short) (s1i + s4i);
            short s10r = (short) (s1r - s4r), s10i = (short) (s1i - s4i);
            short s8r = (short) (s2r + s3r), s8i = (short) (s2i + s3i);
            short s9r = (short) (s2r - s3r), s9i = (short) (s2i - s3i);
            o[2 * f0] = (short) (o[2 * f0] + (s7r + s8r));
            o[2 * f0 + 1] = (short) (o[2 * f0 + 1] + (s7i + s8i));
            short s5r = (short) (s0r + sMul(s7r, yar) + sMul(s8r, ybr));
            short s5i = (short) (s0i + sMul(s7i, yar) + sMul(s8i, ybr));
            short s6r = (short) (sMul(s10i, yai) + sMul(s9i, ybi));
            short s6i = (short) (-sMul(s10r, yai) - sMul(s9r, ybi));
            o[2 * f1] = (short) (s5r - s6r);
            o[2 * f1 + 1] = (short) (s5i - s6i);
            o[2 * f4] = (short) (s5r + s6r);
            o[2 * f4 + 1] = (short) (s5i + s6i);
            short s11r = (short) (s0r + sMul(s7r, ybr) + sMul(s8r, yar));
            short s11i = (short) (s0i + sMul(s7i, ybr) + sMul(s8i, yar));
            short s12r = (short) (-sMul(s10i, ybi) + sMul(s9i, yai));
            short s12i = (short) (sMul(s10r, ybi) - sMul(s9r, yai));
            o[2 * f2] = (short) (s11r + s12r);
            o[2 * f2 + 1] = (short) (s11i + s12i);
            o[2 * f3] = (short) (s11r - s12r);
            o[2 * f3 + 1] = (short) (s11i - s12i);
        }
    }

    private void butterflyGeneric(int f, int stride, int m, int p) {
        short[] o = tmp, tw = twiddles, s = generic;
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
                    short tr = mulRe(s[2 * q], s[2 * q + 1], tw, 2 * twidx), ti = mulIm(s[2 * q], s[2 * q + 1], tw, 2 * twidx);
                    o[2 * idx] = (short) (o[2 * idx] + tr);
                    o[2 * idx + 1] = (short) (o[2 * idx + 1] + ti);
                }
            }
        }
    }
}
