package dev.minnow.math;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FloatLibm} against this machine's C library, through {@code c-reference/tools/libm_probe.c} (built with make
 * and gcc, which CI always has: a missing compiler fails the test). The default check feeds each function 0.9
 * million inputs: dense neighbourhoods of its special points (zeros, subnormals, infinities, NaNs, the branch
 * thresholds of glibc's algorithms), the inputs where glibc's FMA and non-FMA builds disagree, random bit patterns and
 * random values in the range models use. The full check of all 2^32 inputs per function takes minutes:
 * {@code mvn -o -pl testkit test -Dtest=FloatLibmGlibcTest -Dminnow.libm.exhaustive=true}.
 *
 * <p>FloatLibm reproduces glibc 2.36 on x86-64 with FMA (any x86-64 CPU since 2013); elsewhere the special inputs
 * below may legitimately differ, and the failure message says which CPU features were found.
 */
class FloatLibmGlibcTest {
    /** Each checked function: its libm name and FloatLibm's version on float bit patterns. */
    record Fn(String name, IntUnaryOperator java) {
        static Fn of(String name, java.util.function.UnaryOperator<Float> f) {
            return new Fn(name, bits -> Float.floatToRawIntBits(f.apply(Float.intBitsToFloat(bits))));
        }
    }

    static final List<Fn> FUNCTIONS = List.of(Fn.of("sinf", FloatLibm::sinf), Fn.of("cosf", FloatLibm::cosf),
            Fn.of("logf", FloatLibm::logf), Fn.of("expf", FloatLibm::expf), Fn.of("expm1f", FloatLibm::expm1f),
            Fn.of("tanhf", FloatLibm::tanhf));

    /** Where glibc's FMA build differs from its unfused build (found by running both over all 2^32 inputs). */
    static final int[] FMA_SENSITIVE = {
        0x4255b0a9, 0x42a35c07, 0x42a35d44, 0x42a97360, 0x42cf5854, 0x42e87a55,             // sinf (and negatives)
        0x418a3adb, 0x418a3adc, 0x418a3add, 0x418a3ade, 0x41bc76d9, 0x4202eb4b, 0x42687a55, // cosf
        0x4280ce28, 0x42870e40, 0x42c55faa, 0x42d8d23e,
        0x4202422f, 0xc27c65d9};                                                            // expf

    /** Bit patterns around which every neighbouring pattern (+-1024) is checked, for every function. */
    static final int[] ANCHORS = {
        0x00000000, 0x00800000, 0x7f800000, 0x7fc00000, 0x7f7fffff, 0x3f800000, 0x40000000, 0x3f000000,
        0x39800000 /* 2^-12 */, 0x33000000 /* 2^-25 */, 0x3f490fdb /* pi/4 */, 0x3fc90fdb /* pi/2 */, 0x40490fdb /* pi */,
        0x42f00000 /* 120 */, 0x4b000000 /* 2^23 */, 0x4f000000, 0x5f000000, 0x42b17218 /* 88.72 */, 0x42b00000 /* 88 */,
        0x42cff1b5 /* 103.97 */, 0x4195b844 /* 27 ln2 */, 0x3eb17218 /* ln2/2 */, 0x3f851592 /* 1.5 ln2 */,
        0x41b00000 /* 22 */, 0x3f330000 /* logf's table start */, 0x3fb30000, 0x3e800000, 0x24000000};

    @Test
    void floatLibmMatchesThisMachinesGlibcOnMillionsOfInputs() throws Exception {
        Path probe = probe();
        List<String> mismatches = new ArrayList<>();
        long checked = 0;
        for (Fn fn : FUNCTIONS) {
            int[] inputs = inputs(new Random(fn.name().hashCode()));
            int[] glibc = run(probe, fn.name(), inputs, 1);
            for (int i = 0; i < inputs.length; i++) {
                int java = fn.java().applyAsInt(inputs[i]);
                if (java != glibc[i] && mismatches.size() < 20) {
                    mismatches.add(String.format("%s(0x%08x): glibc 0x%08x, FloatLibm 0x%08x", fn.name(), inputs[i], glibc[i], java));
                }
            }
            checked += inputs.length;
        }
        // fmodf (FLOOR_MOD): random pairs of bit patterns, of special values, and of ordinary values
        Random r = new Random(7);
        int pairs = 1 << 20;
        int[] xy = new int[2 * pairs];
        int[] special = {0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f812345, 0xffc00001, 0x00000001, 0x3f800000, 0xbf800000};
        for (int i = 0; i < pairs; i++) {
            for (int k = 0; k < 2; k++) {
                int c = r.nextInt(4);
                xy[2 * i + k] = c == 0 ? special[r.nextInt(special.length)] : c == 1 ? r.nextInt()
                        : Float.floatToRawIntBits((r.nextFloat() - 0.5f) * (c == 2 ? 20 : 1e6f));
            }
        }
        int[] glibc = run(probe, "fmodf", xy, 2);
        for (int i = 0; i < pairs; i++) {
            int java = Float.floatToRawIntBits(FloatLibm.fmodf(Float.intBitsToFloat(xy[2 * i]), Float.intBitsToFloat(xy[2 * i + 1])));
            if (java != glibc[i] && mismatches.size() < 20) {
                mismatches.add(String.format("fmodf(0x%08x, 0x%08x): glibc 0x%08x, FloatLibm 0x%08x", xy[2 * i], xy[2 * i + 1], glibc[i], java));
            }
        }
        checked += pairs;
        System.out.printf("FloatLibm vs this machine's libm: %d inputs compared, %d differ%n", checked, mismatches.size());
        assertEquals(List.of(), mismatches, cpuNote());
    }

    @Test
    @EnabledIfSystemProperty(named = "minnow.libm.exhaustive", matches = "true")
    void floatLibmMatchesThisMachinesGlibcOnEveryFloat() throws Exception {
        Path probe = probe();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (Fn fn : FUNCTIONS) {
            Process p = new ProcessBuilder(probe.toString(), fn.name(), "--blocks").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] raw = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(1, TimeUnit.HOURS) && p.exitValue() == 0, "libm-probe " + fn.name() + " --blocks failed");
            ByteBuffer glibc = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(8 * 65536, raw.length, "block hashes from libm-probe");
            long[] java = new long[65536];
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int first = t;
                workers[t] = new Thread(() -> {
                    for (int b = first; b < 65536; b += threads) java[b] = blockHash(fn, b);
                });
                workers[t].start();
            }
            for (Thread w : workers) w.join();
            List<String> bad = new ArrayList<>();
            for (int b = 0; b < 65536; b++) {
                if (java[b] != glibc.getLong(8 * b) && bad.size() < 10) bad.add(firstDifference(probe, fn, b));
            }
            System.out.printf("%s: all 2^32 inputs, %d of 65536 blocks differ%n", fn.name(), bad.size());
            assertEquals(List.of(), bad, cpuNote());
        }
    }

    /** The FNV-1a hash libm-probe computes over the results of block {@code b}. */
    static long blockHash(Fn fn, int b) {
        long h = 1469598103934665603L;
        for (int i = 0; i < 65536; i++) {
            int r = fn.java().applyAsInt(b << 16 | i);
            for (int k = 0; k < 4; k++) h = (h ^ ((r >>> (8 * k)) & 0xff)) * 1099511628211L;
        }
        return h;
    }

    private static String firstDifference(Path probe, Fn fn, int block) throws IOException, InterruptedException {
        int[] in = new int[65536];
        for (int i = 0; i < in.length; i++) in[i] = block << 16 | i;
        int[] glibc = run(probe, fn.name(), in, 1);
        for (int i = 0; i < in.length; i++) {
            int java = fn.java().applyAsInt(in[i]);
            if (java != glibc[i]) return String.format("%s(0x%08x): glibc 0x%08x, FloatLibm 0x%08x", fn.name(), in[i], glibc[i], java);
        }
        return fn.name() + " block " + block + ": hashes differ, values agree";
    }

    /** Anchor neighbourhoods (both signs), the FMA-sensitive inputs, 2^19 random bit patterns, 2^18 values in [-200, 200). */
    static int[] inputs(Random r) {
        List<Integer> list = new ArrayList<>();
        for (int a : ANCHORS) {
            for (int d = -1024; d <= 1024; d++) {
                list.add(a + d);
                list.add((a + d) ^ 0x80000000);
            }
        }
        for (int x : FMA_SENSITIVE) { list.add(x); list.add(x ^ 0x80000000); }
        for (int i = 0; i < (1 << 19); i++) list.add(r.nextInt());
        for (int i = 0; i < (1 << 18); i++) list.add(Float.floatToRawIntBits((r.nextFloat() - 0.5f) * 400));
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Runs the probe on {@code arity} bit patterns per case; returns one result per case. */
    static int[] run(Path probe, String fn, int[] inputs, int arity) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(probe.toString(), fn).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteBuffer in = ByteBuffer.allocate(4 * inputs.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : inputs) in.putInt(x);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream s = p.getInputStream()) { s.transferTo(out); } catch (IOException e) { throw new RuntimeException(e); }
        });
        reader.start();
        try (OutputStream s = p.getOutputStream()) { s.write(in.array()); }
        reader.join();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "libm-probe " + fn + " failed");
        ByteBuffer res = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(4L * inputs.length / arity, res.capacity(), "results from libm-probe " + fn);
        int[] results = new int[inputs.length / arity];
        for (int i = 0; i < results.length; i++) results[i] = res.getInt(4 * i);
        return results;
    }

    /** Builds c-reference/build/libm-probe with make (a failure fails the test: CI always has gcc and make). */
    static Path probe() throws IOException, InterruptedException {
        Path dir = Path.of("..", "c-reference").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) dir = Path.of("c-reference").toAbsolutePath();
        Process make = new ProcessBuilder("make", "-s", "-C", dir.toString(), "build/libm-probe").redirectErrorStream(true).start();
        String log = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(make.waitFor(300, TimeUnit.SECONDS) && make.exitValue() == 0, "building libm-probe (make, gcc) failed:\n" + log);
        return dir.resolve("build/libm-probe");
    }

    private static String cpuNote() {
        String flags = "";
        try {
            flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            flags = "(no /proc/cpuinfo)";
        }
        boolean fma = flags.contains(" fma") && flags.contains(" avx2");
        return "FloatLibm reproduces glibc 2.36's x86-64 FMA builds; this CPU " + (fma ? "has" : "lacks") + " FMA+AVX2, os.arch "
                + System.getProperty("os.arch");
    }
}
