package dev.minnow.math.fft;

/** What the kissfft plans ({@link KissFftrFixed}, {@link KissFftrFloat}) share. */
public final class KissFft {
    private KissFft() {}

    /**
     * kissfft's factorisation of a complex FFT length: powers of 4 first, then 2, then odd numbers up to
     * floor(sqrt(n)), then the rest; pairs of (radix, remaining length).
     */
    /**
     * Whether a complex FFT of {@code n} points needs kissfft's generic butterfly: a radix other than 2, 3, 4 and 5,
     * which includes the radix 1 of a one-point FFT. TFLM patches kissfft's KISS_FFT_TMP_ALLOC to return null, and
     * that butterfly writes through it: TFLM crashes.
     */
    static boolean needsGenericButterfly(int n) {
        int[] f = factor(n);
        for (int i = 0; i < f.length; i += 2) if (f[i] < 2 || f[i] > 5) return true;
        return false;
    }

    /**
     * Whether TFLM crashes on real FFTs of {@code nfft} samples: half the length is 1 or has a prime factor above 5,
     * so kissfft runs its generic butterfly, whose scratch allocation TFLM patches to return null.
     */
    public static boolean crashesTflm(int nfft) { return nfft >= 2 && needsGenericButterfly(nfft / 2); }

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
}
