package dev.minnow.interpreter;

import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Intra-op threads (InterpreterOptions.setNumThreads / setExecutor): corpus models with fully-connected layers and
 * convolutions (int8 and float CONV_2D, DEPTHWISE_CONV_2D with multiplier 1 and 8) give
 * the single-threaded bytes with 2 and 4 threads of the interpreter's own and on a caller's executor, every node
 * split (minimum split work 1) and at the default threshold; a split invoke allocates nothing, on the invoking thread
 * nor on the pool's; close() stops the pool's threads.
 */
class IntraOpThreadsTest {
    /** Runs {@code invokes} invokes on seeded random inputs and returns every output's bytes. */
    private static List<byte[]> outputs(Path model, InterpreterOptions options, int invokes) throws Exception {
        try (Interpreter interp = new Interpreter(Model.load(model), options)) {
            interp.allocateTensors();
            Random r = new Random(16);
            List<byte[]> out = new ArrayList<>();
            for (int k = 0; k < invokes; k++) {
                for (int i = 0; i < interp.getInputTensorCount(); i++) {
                    Tensor t = interp.getInputTensor(i);
                    byte[] data = new byte[t.numBytes()];
                    if (t.dataType() == dev.minnow.model.DataType.FLOAT32) {
                        var bb = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                        for (int j = 0; j + 4 <= data.length; j += 4) bb.putFloat(j, (float) r.nextGaussian());
                    } else {
                        r.nextBytes(data);
                    }
                    t.copyFrom(data);
                }
                interp.invoke();
                for (int i = 0; i < interp.getOutputTensorCount(); i++) out.add(interp.getOutputTensor(i).toByteArray());
            }
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"models/mlperftiny-ad_model_ToyCar_quant_fullint_micro", "models/mlperftiny-ad_model_ToyCar",
            "detectors/dense_ae_640_i8", "detectors/dense_ae_640_f32", "detectors/lstm_forecaster_i8",
            "models/tflm-xtensa_mobilenet_v2_quantized_1x3x224x224", "models/mlperftiny-kws_ref_model",
            "models/mlperftiny-vww_96_float", "models/tflm-micro_speech_quantized", "detectors/conv_ae_i8"})
    void threadsGiveTheSingleThreadedBytes(String caseDir) throws Exception {
        Path model = Corpus.require().resolve(caseDir).resolve("model.tflite");
        int invokes = caseDir.contains("mobilenet") ? 1 : 3;
        List<byte[]> single = outputs(model, new InterpreterOptions(), invokes);
        ExecutorService executor = Executors.newFixedThreadPool(3);
        try {
            for (int threads : new int[] {2, 4}) {
                for (long minWork : new long[] {1, dev.minnow.runtime.NodeContext.DEFAULT_MIN_SPLIT_WORK}) {
                    String what = caseDir + ", " + threads + " threads, min split work " + minWork;
                    same(single, outputs(model, new InterpreterOptions().setNumThreads(threads).setMinSplitWork(minWork), invokes), what);
                    same(single, outputs(model, new InterpreterOptions().setNumThreads(threads).setMinSplitWork(minWork)
                            .setExecutor(executor), invokes), what + ", caller's executor");
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void same(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), what + ": output " + i);
    }

    @Test
    void splitInvokesAllocateNothingAndCloseStopsThePool() throws Exception {
        var bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter unavailable");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        Path model = Corpus.require().resolve("detectors/dense_ae_640_i8").resolve("model.tflite");
        Interpreter interp = new Interpreter(Model.load(model), new InterpreterOptions().setNumThreads(2).setMinSplitWork(1));
        interp.allocateTensors();
        List<Thread> pool = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("minnow-intra-op-")) pool.add(t);
        assertTrue(!pool.isEmpty(), "a split node started no pool thread");
        long[] ids = new long[pool.size() + 1];
        ids[0] = Thread.currentThread().getId();
        for (int i = 0; i < pool.size(); i++) ids[i + 1] = pool.get(i).getId();
        int quiet = 0;
        long last = -1;
        // up to 12,000 warm-up invokes, stopping at three quiet rounds: with the Vector API every lane operation
        // allocates until C2 compiles it, and the split ranges (minSplitWork 1) reach C2 only after ~6,000 invokes
        // (1,200 were enough without the module, not with it)
        for (int round = 0; round < 600 && quiet < 3; round++) {
            long before = allocated(mx, ids);
            for (int i = 0; i < 20; i++) interp.invoke();
            last = allocated(mx, ids) - before;
            quiet = last == 0 ? quiet + 1 : 0;
        }
        assertEquals(0, last, "20 split invokes still allocated " + last + " bytes after warm-up");
        interp.close();
        for (Thread t : pool) {
            t.join(5000);
            assertTrue(!t.isAlive(), t.getName() + " still runs after close()");
        }
    }

    @Test
    void anInterpreterDroppedWithoutCloseStopsItsPool() throws Exception {
        Path model = Corpus.require().resolve("detectors/dense_ae_640_i8").resolve("model.tflite");
        List<Thread> pool = droppedInterpreterPool(model);
        assertTrue(!pool.isEmpty(), "a split node started no pool thread");
        long end = System.nanoTime() + 30_000_000_000L;
        while (pool.stream().anyMatch(Thread::isAlive) && System.nanoTime() < end) {
            System.gc();
            for (Thread t : pool) t.join(100);
        }
        for (Thread t : pool) assertTrue(!t.isAlive(), t.getName() + " still runs 30 s after its interpreter became unreachable");
    }

    /** The pool threads of an interpreter with two threads, invoked once and left unreachable without close(). */
    private static List<Thread> droppedInterpreterPool(Path model) throws Exception {
        java.util.Set<Thread> before = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        Interpreter interp = new Interpreter(Model.load(model), new InterpreterOptions().setNumThreads(2).setMinSplitWork(1));
        interp.allocateTensors();
        interp.invoke();
        List<Thread> pool = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("minnow-intra-op-") && !before.contains(t)) pool.add(t);
        }
        return pool;
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long id : ids) sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        return sum;
    }

    @Test
    void badThreadCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new InterpreterOptions().setNumThreads(0));
        assertThrows(IllegalArgumentException.class, () -> new InterpreterOptions().setNumThreads(InterpreterOptions.MAX_THREADS + 1));
        assertThrows(IllegalArgumentException.class, () -> new InterpreterOptions().setMinSplitWork(0));
    }
}
