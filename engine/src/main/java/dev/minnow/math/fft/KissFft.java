package dev.minnow.math.fft;

/** What the kissfft plans ({@link KissFftrFixed}, {@link KissFftrFloat}) share. */
final class KissFft {
    private KissFft() {}

    /**
     * kissfft's factorisation of a complex FFT length: powers of 4 first, then 2, then odd numbers up to
     * floor(sqrt(n)), then the rest; pairs of (radix, remaining length).
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
}
