package dev.minnow.cref;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The streaming custom ops over 1 to 8 invokes with their state carried: CIRCULAR_BUFFER (int8, 1 to 6 slots, periods
 * 0 to 3), SignalDelay (delays 0 to 12, 1 to 3 rows), SignalFramer (steps 1 to 5, frames shorter and longer than the
 * step, with and without prefill), SignalStacker (contexts 0 to 3, steps 0 to the ring's frames) and SignalOverlapAdd
 * (int16 with saturation, float32; steps 1 to the frame size): the Java engine and the C reference agree on every
 * output of every frame.
 */
class StreamingCrossCheckProperties {

    record Params(String op, int frames, int a, int b, int c, boolean flag, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        return Combinators.combine(Arbitraries.of("CIRCULAR_BUFFER", "SignalDelay", "SignalFramer", "SignalStacker", "SignalOverlapAdd"),
                        Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 12),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 3), Arbitraries.of(true, false),
                        Arbitraries.longs())
                .as(Params::new);
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int f = p.frames();
        Map<String, Double> attrs = new LinkedHashMap<>();
        List<CReference.TensorSpec> ts = new ArrayList<>();
        switch (p.op()) {
            case "CIRCULAR_BUFFER" -> {
                int slots = 1 + p.a() % 6, h = 1 + p.c() % 2, w = p.b();
                if (p.flag()) attrs.put("cycles_max", (double) p.c());
                Quantization q = CrossCheck.q(0.25f, r.nextInt(256) - 128);
                ts.add(tensor(r, "input", DataType.INT8, q, f, 1, 1, h, w));
                ts.add(out("output", DataType.INT8, q, f, 1, slots, h, w));
            }
            case "SignalDelay" -> {
                int rows = 1 + p.c() % 3, frame = p.b() + r.nextInt(6);
                attrs.put("delay_length", (double) p.a());
                ts.add(tensor(r, "input", DataType.INT16, null, f, rows, frame));
                ts.add(out("output", DataType.INT16, null, f, rows, frame));
            }
            case "SignalFramer" -> {
                int step = p.b(), size = Math.max(1, p.a() + (p.flag() ? step : 0)), steps = 1 + p.c();
                boolean prefill = p.flag() && size >= step;
                attrs.put("frame_size", (double) size);
                attrs.put("frame_step", (double) step);
                attrs.put("prefill", prefill ? 1.0 : 0.0);
                int rows = 1 + r.nextInt(2);
                ts.add(tensor(r, "input", DataType.INT16, null, f, rows, steps * step));
                ts.add(out("output0", DataType.INT16, null, f, rows, steps, size));
                ts.add(out("output1", DataType.BOOL, null, f));
            }
            case "SignalStacker" -> {
                int ch = p.b(), left = p.c(), right = p.a() % 4, frames = left + right + 1;
                int step = r.nextInt(frames + 1);
                attrs.put("num_channels", (double) ch);
                attrs.put("stacker_left_context", (double) left);
                attrs.put("stacker_right_context", (double) right);
                attrs.put("stacker_step", (double) step);
                ts.add(tensor(r, "input", DataType.INT16, null, f, ch));
                ts.add(out("output0", DataType.INT16, null, f, ch * frames));
                ts.add(out("output1", DataType.BOOL, null, f));
            }
            default -> {   // SignalOverlapAdd
                DataType t = p.flag() ? DataType.INT16 : DataType.FLOAT32;
                int size = p.b() + p.a(), step = 1 + r.nextInt(size), nf = 1 + p.c(), rows = 1 + r.nextInt(2);
                attrs.put("frame_step", (double) step);
                ts.add(tensor(r, "input", t, null, f, rows, nf, size));
                ts.add(out("output", t, null, f, rows, nf * step));
            }
        }
        return new CReference.Case(p.op().toLowerCase() + "_" + f, p.op(), attrs, ts);
    }

    static CReference.TensorSpec tensor(Random r, String name, DataType t, Quantization q, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * t.byteSize()];
        r.nextBytes(data);
        if (t == DataType.FLOAT32) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) b.putFloat(4 * i, (float) (r.nextGaussian() * 1000));
        }
        return new CReference.TensorSpec(name, t, shape, q, data);
    }

    static CReference.TensorSpec out(String name, DataType t, Quantization q, int... shape) {
        return new CReference.TensorSpec(name, t, shape, q, null);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void streamingOps(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
