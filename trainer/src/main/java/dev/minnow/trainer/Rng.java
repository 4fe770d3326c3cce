package dev.minnow.trainer;

/**
 * A small seeded random number generator (SplitMix64) whose every output is fixed by its seed on any JVM, so that
 * initialisation, shuffling and dropout masks are reproducible bit for bit.
 */
public final class Rng {
    private long state;

    /** A generator started from {@code seed}. */
    public Rng(long seed) { this.state = seed; }

    /** Restarts the generator from {@code seed} (no allocation, for per-sample dropout masks). */
    public void reseed(long seed) { this.state = seed; }

    /** The next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() { return (nextLong() >>> 40) * 0x1.0p-24f; }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) { return lo + (hi - lo) * nextDouble(); }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound " + bound + " must be > 0");
        long limit = Long.remainderUnsigned(-1L, bound); // values past the last whole multiple are rejected
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - limit) <= 0) return (int) Long.remainderUnsigned(r, bound);
        }
    }

    /** A standard normal value (Box-Muller; one value per call, so the sequence has no hidden cache). */
    public double nextGaussian() {
        double u1;
        do { u1 = nextDouble(); } while (u1 <= 0.0);
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Shuffles {@code a} in place (Fisher-Yates). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** A seed derived from {@code seed} and the stream numbers, well mixed (for independent sub-streams). */
    public static long derive(long seed, long... streams) {
        long s = mix(seed);
        for (long k : streams) s = mix(s ^ mix(k + 0x632BE59BD9B4E019L));
        return s;
    }

    /** Seed for stream {@code (a, b)} of {@code seed}, without allocating (used once per training sample). */
    static long derive(long seed, long a, long b) {
        return mix(mix(mix(seed) ^ mix(a + 0x632BE59BD9B4E019L)) ^ mix(b + 0x632BE59BD9B4E019L));
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
