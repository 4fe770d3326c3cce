package dev.minnow.kernels;

import dev.minnow.math.FloatLibm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link VectorLibm} against {@link FloatLibm}, raw bits (NaN payloads included), on a JVM with the Vector API
 * ({@code mvn -o -pl testkit test -Pvector-api -Dtest=VectorLibmTest}; without the module the tests report skipped).
 * The default run: the neighbourhoods (+-4096 patterns) of every range boundary and special value, a million random
 * bit patterns and values in the range models use, at every alignment and tail length; all 2^32 floats with
 * {@code -Dminnow.libm.exhaustive=true}.
 */
class VectorLibmTest {
    static final int[] ANCHORS = {
        0x00000000, 0x00000001, 0x00800000, 0x7f800000, 0x7fc00000, 0x7fa00000, 0x7f7fffff, 0x3f800000, 0x40000000,
        0x3f000000, 0x32800000, 0x40f80000, 0x24000000, 0x33000000, 0x41b00000, 0x3eb17218, 0x3e317218, 0x3f851592,
        0x3f051592, 0x4195b844, 0x4115b844, 0x3f317218, 0x3fb17218, 0x40317218, 0x40b17218, 0x40f00000, 0x3f7fffff};

    static int[] inputs() {
        List<Integer> in = new ArrayList<>();
        for (int a : ANCHORS) {
            for (int d = -4096; d <= 4096; d++) {
                in.add(a + d);
                in.add((a + d) ^ 0x80000000);
            }
        }
        Random r = new Random(17);
        for (int i = 0; i < 500_000; i++) in.add(r.nextInt());
        for (int i = 0; i < 500_000; i++) in.add(Float.floatToRawIntBits((float) (r.nextGaussian() * (i % 2 == 0 ? 2 : 8))));
        // NaNs with payloads and infinities scattered among ordinary lanes
        for (int i = 0; i < 4096; i++) in.add(r.nextInt(8) == 0 ? 0x7f800000 | (r.nextInt() & 0x807fffff) | 1 : Float.floatToRawIntBits(r.nextFloat() * 4 - 2));
        return in.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void tanhfLanesEqualFloatLibm() {
        assumeTrue(FastLoops.VECTOR_API, "needs --add-modules jdk.incubator.vector (-Pvector-api)");
        int[] in = inputs();
        float[] src = new float[in.length + 16], dst = new float[in.length + 16];
        for (int i = 0; i < in.length; i++) src[i] = Float.intBitsToFloat(in[i]);
        List<String> bad = new ArrayList<>();
        VectorLibm.tanhf(src, 0, dst, 0, in.length);
        compare(src, 0, dst, 0, in.length, bad);
        // in place (FastLstm's gate array), rare lanes among common ones
        float[] inPlace = src.clone();
        VectorLibm.tanhf(inPlace, 0, inPlace, 0, in.length);
        compare(src, 0, inPlace, 0, in.length, bad);
        // odd offsets and every tail length
        VectorLibm.tanhf(src, 3, dst, 5, in.length - 7);
        compare(src, 3, dst, 5, in.length - 7, bad);
        for (int n = 0; n <= 17; n++) {
            java.util.Arrays.fill(dst, 0f);
            VectorLibm.tanhf(src, 1, dst, 2, n);
            compare(src, 1, dst, 2, n, bad);
            assertEquals(0f, dst[2 + n], "write past n = " + n);
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void tanhfLanesAllocateNothing() {
        // JDK 17 boxes vectors whose operations it cannot compile (F2I lanes once did): after warm-up, zero bytes
        assumeTrue(FastLoops.VECTOR_API, "needs --add-modules jdk.incubator.vector (-Pvector-api)");
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        float[] src = new float[80], dst = new float[80];
        Random r = new Random(3);
        for (int i = 0; i < src.length; i++) src[i] = (float) r.nextGaussian() * 3;
        src[17] = 9f; // one vector with a lane outside the common domain
        long id = Thread.currentThread().getId(), last = -1;
        for (int round = 0, quiet = 0; round < 200 && quiet < 3; round++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 20_000; i++) VectorLibm.tanhf(src, 0, dst, 0, src.length - (i & 7));
            last = threads.getThreadAllocatedBytes(id) - before;
            quiet = last == 0 ? quiet + 1 : 0;
        }
        assertEquals(0, last, "bytes allocated by 20,000 calls after warm-up");
    }

    private static void compare(float[] src, int so, float[] dst, int dO, int n, List<String> bad) {
        for (int i = 0; i < n; i++) {
            int want = Float.floatToRawIntBits(FloatLibm.tanhf(src[so + i]));
            int got = Float.floatToRawIntBits(dst[dO + i]);
            if (want != got && bad.size() < 20)
                bad.add(String.format("tanhf(0x%08x): FloatLibm 0x%08x, VectorLibm 0x%08x", Float.floatToRawIntBits(src[so + i]), want, got));
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "minnow.libm.exhaustive", matches = "true")
    void tanhfLanesEqualFloatLibmOnEveryFloat() throws InterruptedException {
        assumeTrue(FastLoops.VECTOR_API, "needs --add-modules jdk.incubator.vector (-Pvector-api)");
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        AtomicLong mismatches = new AtomicLong(), first = new AtomicLong(-1);
        long start = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                float[] src = new float[65536], dst = new float[65536];
                for (int b = id; b < 65536; b += threads) {
                    for (int i = 0; i < 65536; i++) src[i] = Float.intBitsToFloat((b << 16) | i);
                    VectorLibm.tanhf(src, 0, dst, 0, 65536);
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
        System.out.printf("VectorLibm.tanhf vs FloatLibm.tanhf on all 2^32 floats: %d differ (%.1f s)%n",
                mismatches.get(), (System.nanoTime() - start) / 1e9);
        assertEquals(0, mismatches.get(), () -> String.format("first mismatch at 0x%08x", (int) first.get()));
    }
}
