package dev.minnow.math;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FastLibm} against {@link FloatLibm}, raw bits (NaN payloads included). The default run checks the
 * neighbourhoods (+-4096 patterns) of every range boundary of tanhf and expm1f and of the special values, and a million
 * random bit patterns and values in the range models use; all 2^32 floats:
 * {@code mvn -o -pl engine test -Dtest=FastLibmTest -Dminnow.libm.exhaustive=true} (about a minute per function).
 */
class FastLibmTest {
    /** Patterns around which every neighbour is checked, both signs. */
    static final int[] ANCHORS = {
        0x00000000, 0x00000001, 0x00800000, 0x7f800000, 0x7fc00000, 0x7fa00000, 0x7f7fffff, 0x3f800000, 0x40000000,
        0x3f000000, FastLibm.TANH_LO_BITS, FastLibm.TANH_HI_BITS, 0x24000000, 0x33000000, 0x41b00000,
        0x3eb17218 /* ln2/2 */, 0x3e317218 /* ln2/4: tanh's k = 0 edge */, 0x3f851592 /* 1.5 ln2 */, 0x3f051592,
        0x4195b844, 0x4115b844, 0x3f317218, 0x3fb17218, 0x40317218, 0x40b17218, 0x40f00000, 0x3f7fffff,
        FastLibm.TANH_ONE_BITS /* tanhf is 1 from here */, 0x41000000 /* 8: TanhArrays' stand-in for it */};

    /** Edge and random inputs for the default run. */
    static int[] inputs() {
        List<Integer> in = new ArrayList<>();
        for (int a : ANCHORS) {
            for (int d = -4096; d <= 4096; d++) {
                in.add(a + d);
                in.add((a + d) ^ 0x80000000);
            }
        }
        Random r = new Random(16);
        for (int i = 0; i < 500_000; i++) in.add(r.nextInt());
        for (int i = 0; i < 500_000; i++) in.add(Float.floatToRawIntBits((float) (r.nextGaussian() * (i % 2 == 0 ? 2 : 8))));
        return in.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void tanhfEqualsFloatLibmOnEdgesAndRandomInputs() {
        int[] in = inputs();
        List<String> bad = new ArrayList<>();
        float[] src = new float[in.length], dst = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            src[i] = Float.intBitsToFloat(in[i]);
            int want = Float.floatToRawIntBits(FloatLibm.tanhf(src[i]));
            int got = Float.floatToRawIntBits(FastLibm.tanhf(src[i]));
            if (want != got && bad.size() < 20) bad.add(String.format("tanhf(0x%08x): FloatLibm 0x%08x, FastLibm 0x%08x", in[i], want, got));
        }
        FastLibm.tanhf(src, 0, dst, 0, src.length);
        for (int i = 0; i < in.length; i++) {
            int want = Float.floatToRawIntBits(FloatLibm.tanhf(src[i]));
            if (want != Float.floatToRawIntBits(dst[i]) && bad.size() < 20)
                bad.add(String.format("array tanhf(0x%08x): FloatLibm 0x%08x, FastLibm 0x%08x", in[i], want, Float.floatToRawIntBits(dst[i])));
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void tanhArraysEqualFloatLibmOnEdgesAndRandomInputsInChunksAndInPlace() {
        int[] in = inputs();
        FastLibm.TanhArrays arrays = new FastLibm.TanhArrays(97);
        float[] src = new float[in.length], dst = new float[in.length], same = new float[in.length];
        for (int i = 0; i < in.length; i++) src[i] = Float.intBitsToFloat(in[i]);
        System.arraycopy(src, 0, same, 0, src.length);
        // chunks of every length up to the capacity, at moving offsets; the in-place run overwrites its own input
        for (int at = 0, len = 1; at < in.length; at += len, len = len % 97 + 1) {
            int n = Math.min(len, in.length - at);
            arrays.tanhf(src, at, dst, at, n);
            arrays.tanhf(same, at, same, at, n);
        }
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            int want = Float.floatToRawIntBits(FloatLibm.tanhf(src[i]));
            if ((want != Float.floatToRawIntBits(dst[i]) || want != Float.floatToRawIntBits(same[i])) && bad.size() < 20)
                bad.add(String.format("TanhArrays tanhf(0x%08x): FloatLibm 0x%08x, got 0x%08x, in place 0x%08x", in[i], want,
                        Float.floatToRawIntBits(dst[i]), Float.floatToRawIntBits(same[i])));
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void tanhArraysRefuseMoreValuesThanTheirCapacity() {
        FastLibm.TanhArrays arrays = new FastLibm.TanhArrays(8);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> arrays.tanhf(new float[9], 0, new float[9], 0, 9));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("8"), e.getMessage());
    }

    @Test
    @EnabledIfSystemProperty(named = "minnow.libm.exhaustive", matches = "true")
    void tanhArraysEqualFloatLibmOnEveryFloat() throws InterruptedException {
        assertTanhOnEveryFloat("FastLibm.TanhArrays", () -> {
            FastLibm.TanhArrays arrays = new FastLibm.TanhArrays(65536);
            return (src, dst, n) -> arrays.tanhf(src, 0, dst, 0, n);
        });
    }

    /** A tanhf over {@code src[0..n)} into {@code dst}. */
    interface TanhBlock {
        void apply(float[] src, float[] dst, int n);
    }

    /**
     * Every float through {@code form} (one instance per thread), in blocks of 65,536 on every core, bit for bit
     * against {@link FloatLibm#tanhf}.
     */
    private static void assertTanhOnEveryFloat(String name, java.util.function.Supplier<TanhBlock> form) throws InterruptedException {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicLong mismatches = new AtomicLong(), first = new AtomicLong(-1);
        long start = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                TanhBlock block = form.get();
                float[] src = new float[65536], dst = new float[65536];
                for (int b = id; b < 65536; b += threads) {
                    for (int i = 0; i < 65536; i++) src[i] = Float.intBitsToFloat((b << 16) | i);
                    block.apply(src, dst, 65536);
                    for (int i = 0; i < 65536; i++) {
                        if (Float.floatToRawIntBits(FloatLibm.tanhf(src[i])) != Float.floatToRawIntBits(dst[i])) {
                            mismatches.incrementAndGet();
                            first.compareAndSet(-1, (b << 16) | i);
                        }
                    }
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        System.out.printf("%s vs FloatLibm.tanhf on all 2^32 floats: %d differ (%.1f s)%n", name, mismatches.get(),
                (System.nanoTime() - start) / 1e9);
        assertEquals(0, mismatches.get(), () -> String.format("%s: first mismatch at 0x%08x", name, (int) first.get()));
    }

    @Test
    void commonDomainCoversTheUsualRange() {
        // the straight-line path must carry the values LSTM gates and cells take; outside it FloatLibm runs
        assertTrue(FastLibm.tanhCommon(Float.floatToRawIntBits(1e-7f)));
        assertTrue(FastLibm.tanhCommon(Float.floatToRawIntBits(-7.7f)));
        assertTrue(!FastLibm.tanhCommon(Float.floatToRawIntBits(8f)));
        assertTrue(!FastLibm.tanhCommon(Float.floatToRawIntBits(Float.NaN)));
        assertTrue(!FastLibm.tanhCommon(0));
    }

    @Test
    @EnabledIfSystemProperty(named = "minnow.libm.exhaustive", matches = "true")
    void tanhfEqualsFloatLibmOnEveryFloat() throws InterruptedException {
        assertTanhOnEveryFloat("FastLibm.tanhf (arrays)", () -> (src, dst, n) -> FastLibm.tanhf(src, 0, dst, 0, n));
        assertTanhOnEveryFloat("FastLibm.tanhf (one value)", () -> (src, dst, n) -> {
            for (int i = 0; i < n; i++) dst[i] = FastLibm.tanhf(src[i]);
        });
    }
}
