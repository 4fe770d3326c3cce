package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * QUANTIZE and DEQUANTIZE with typed loops: same prepare ({@link Quantize}'s or {@link Dequantize}'s), same bytes.
 * An 8-bit input has 256 values, so prepare tabulates the reference's per-element arithmetic for each ({@code
 * Dequantize.Eval.apply}, {@code Quantize.Requantize.apply}) and eval is one table load per element; float32 and
 * 16/32-bit inputs run the same arithmetic per element with typed loads and stores instead of the type switches.
 */
public final class FastQuantize implements OpKernel {
    private final OpKernel reference;

    private FastQuantize(OpKernel reference) { this.reference = reference; }

    /** QUANTIZE with fast loops. */
    public static FastQuantize quantize() { return new FastQuantize(new Quantize()); }

    /** DEQUANTIZE with fast loops. */
    public static FastQuantize dequantize() { return new FastQuantize(new Dequantize()); }

    /** Prepares as the reference kernel, then picks the fast eval when fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        PreparedOp ref = reference.prepare(node);
        if (!node.useFastKernels()) return ref;
        if (ref instanceof Dequantize.Eval d && d.n() > 0) return dequantize(d);
        if (ref instanceof Quantize.FromFloat q && q.n() > 0) {
            // the two scratch arrays; a node refused them keeps the reference's loop (same bytes)
            return KernelUtil.tryReserveHeap(node, 8L * FromFloat.scratch(q.n()), "the quantize chunk's floats") ? new FromFloat(q) : ref;
        }
        if (ref instanceof Quantize.Requantize q && q.n() > 0) return new Requantize(q);
        return ref;
    }

    private static boolean eightBit(DataType t) { return t == DataType.INT8 || t == DataType.UINT8; }

    /** The input element at index i (int8 signed, uint8 unsigned, int16, int32). */
    private static int get(DataType t, byte[] a, int off, int i) {
        return switch (t) {
            case INT8 -> a[off + i];
            case UINT8 -> a[off + i] & 0xFF;
            case INT16 -> LittleEndian.getShort(a, off + 2 * i);
            default -> LittleEndian.getInt(a, off + 4 * i);
        };
    }

    private static PreparedOp dequantize(Dequantize.Eval d) {
        Tensor in = d.input(), out = d.output();
        int n = d.n();
        DataType t = in.dataType();
        if (eightBit(t)) {
            float[] table = new float[256];
            for (int b = 0; b < 256; b++) table[b] = d.apply(t == DataType.INT8 ? (byte) b : b);
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset();
                for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * i, table[ia[io + i] & 0xFF]);
            };
        }
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * i, d.apply(LittleEndian.getShort(ia, io + 2 * i)));
        };
    }

    /**
     * float32 to int8/int16: {@code round(x / scale) + zero_point}, clamped, in chunks of {@value #CHUNK} values: the
     * inputs read in bulk ({@link FloatRead}), the quotients in a pass of float divisions that C2 vectorises, then one
     * scalar pass for the rest (JDK 17's C2 vectorises neither float-to-int conversions, sign copies nor int min/max).
     * C's roundf is taken as {@code (int) (|f| + 0.5f)} with the sign put back by a xor and subtract (no branch on
     * it, which mispredicted on mixed-sign inputs): exact where {@code |f|} is below 2^22 (the float sum rounds only
     * when it crosses into the next binade, which moves it by less than to the next integer) except at {@code |f| =
     * 0.49999997f}, whose sum rounds up to 1. That value, large quotients, infinities and NaN run the reference's
     * {@code apply}. 1.9 against 0.9 us for 640 values in a micro-test (ToyCar fullint's input layer).
     */
    private static final class FromFloat implements PreparedOp {
        /** The largest |quotient| whose rounding is done here (where {@code |f| + 0.5f} floors to roundf). */
        private static final float EXACT_BELOW = 0x1p22f;
        /** The one |quotient| below {@link #EXACT_BELOW} whose float sum with 1/2 rounds up to the next integer. */
        private static final float BELOW_HALF = 0.49999997f;
        /** Values per chunk: the length of the two scratch arrays (at most 8 KB, whatever the tensor's size, charged to the
         * node's prepare heap). */
        private static final int CHUNK = 1024;
        private final Quantize.FromFloat q;
        private final boolean int8;
        private final float scale;
        private final int zeroPoint, min, max;
        private final FloatRead read = new FloatRead();
        /** The chunk's inputs and their quotients by the scale. */
        private final float[] raw, quotient;

        FromFloat(Quantize.FromFloat q) {
            this.q = q;
            int8 = q.output().dataType() == DataType.INT8;
            scale = q.scale();
            zeroPoint = q.outZp();
            min = q.min();
            max = q.max();
            raw = new float[scratch(q.n())];
            quotient = new float[raw.length];
        }

        /** The length of the scratch arrays for {@code n} values. */
        static int scratch(int n) { return Math.min(n, CHUNK); }

        /** The reference's quantized value of input {@code i} of the chunk ({@code Quantize.FromFloat.apply}). */
        private int apply(int i) {
            float f = quotient[i], a = Math.abs(f);
            if (!(a < EXACT_BELOW) || a == BELOW_HALF) return q.apply(raw[i]);
            int r = (int) (a + 0.5f);   // floor(|f| + 1/2), as the sum is not negative
            int sign = Float.floatToRawIntBits(f) >> 31;
            return Math.min(Math.max((r ^ sign) - sign + zeroPoint, min), max);
        }

        @Override
        public void eval() {
            byte[] ia = q.input().array(), oa = q.output().array();
            int io = q.input().offset(), oo = q.output().offset(), n = q.n();
            float[] raw = this.raw, quotient = this.quotient;
            float scale = this.scale;
            for (int from = 0; from < n; from += CHUNK) {
                int m = Math.min(CHUNK, n - from);
                read.read(ia, io + 4 * from, m, raw, 0);
                for (int i = 0; i < m; i++) quotient[i] = raw[i] / scale;
                if (int8) {
                    for (int i = 0; i < m; i++) oa[oo + from + i] = (byte) apply(i);
                } else {
                    for (int i = 0; i < m; i++) LittleEndian.putShort(oa, oo + 2 * (from + i), (short) apply(i));
                }
            }
        }
    }

    /** Between integer types; 8-bit inputs through a table of their 256 results. */
    private static final class Requantize implements PreparedOp {
        private final Quantize.Requantize q;
        private final DataType in, out;
        private final int[] table;

        Requantize(Quantize.Requantize q) {
            this.q = q;
            in = q.input().dataType();
            out = q.output().dataType();
            if (eightBit(in)) {
                table = new int[256];
                for (int b = 0; b < 256; b++) table[b] = q.apply(in == DataType.INT8 ? (byte) b : b);
            } else {
                table = null;
            }
        }

        @Override
        public void eval() {
            Quantize.Requantize q = this.q;
            byte[] ia = q.input().array(), oa = q.output().array();
            int io = q.input().offset(), oo = q.output().offset(), n = q.n();
            int[] t = table;
            switch (out) {
                case INT8, UINT8 -> {
                    if (t != null) for (int i = 0; i < n; i++) oa[oo + i] = (byte) t[ia[io + i] & 0xFF];
                    else for (int i = 0; i < n; i++) oa[oo + i] = (byte) q.apply(get(in, ia, io, i));
                }
                case INT16 -> {
                    if (t != null) for (int i = 0; i < n; i++) LittleEndian.putShort(oa, oo + 2 * i, (short) t[ia[io + i] & 0xFF]);
                    else for (int i = 0; i < n; i++) LittleEndian.putShort(oa, oo + 2 * i, (short) q.apply(get(in, ia, io, i)));
                }
                default -> {
                    if (t != null) for (int i = 0; i < n; i++) LittleEndian.putInt(oa, oo + 4 * i, t[ia[io + i] & 0xFF]);
                    else for (int i = 0; i < n; i++) LittleEndian.putInt(oa, oo + 4 * i, q.apply(get(in, ia, io, i)));
                }
            }
        }
    }
}
