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
        if (ref instanceof Quantize.FromFloat q && q.n() > 0) return new FromFloat(q);
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
     * float32 to int8/int16: {@code round(x / scale) + zero_point}, clamped, with C's roundf taken as
     * {@code floor(|f| + 1/2)} of the magnitude where the quotient is below 2^22 in magnitude (C's roundf and
     * {@link Math#round} agree there, checked for all 2^32 float values); the sum is formed in double, where a float
     * plus 1/2 is exact (a float sum would round 0.49999997f + 0.5f up to 1), and truncated: a cast instead of JDK
     * 17's {@code Math.round}, which C2 does not intrinsify (7-11 % of ToyCar fullint's invoke). Other quotients
     * (large, infinite, NaN) run the reference's {@code apply}.
     */
    private static final class FromFloat implements PreparedOp {
        private final Quantize.FromFloat q;
        private final boolean int8;
        private final float scale;
        private final int zeroPoint, min, max;

        FromFloat(Quantize.FromFloat q) {
            this.q = q;
            int8 = q.output().dataType() == DataType.INT8;
            scale = q.scale();
            zeroPoint = q.outZp();
            min = q.min();
            max = q.max();
        }

        /** The reference's quantized value of v ({@code Quantize.FromFloat.apply}), C's roundf done in double. */
        private int apply(float v) {
            float f = v / scale;
            float a = Math.abs(f);
            if (!(a < 0x1p22f)) return q.apply(v);
            int r = (int) ((double) a + 0.5);   // floor(|f| + 1/2): exact in double, truncation is floor for >= 0
            if (f < 0) r = -r;
            return Math.min(Math.max(r + zeroPoint, min), max);
        }

        @Override
        public void eval() {
            byte[] ia = q.input().array(), oa = q.output().array();
            int io = q.input().offset(), oo = q.output().offset(), n = q.n();
            if (int8) {
                for (int i = 0; i < n; i++) oa[oo + i] = (byte) apply(LittleEndian.getFloat(ia, io + 4 * i));
            } else {
                for (int i = 0; i < n; i++) LittleEndian.putShort(oa, oo + 2 * i, (short) apply(LittleEndian.getFloat(ia, io + 4 * i)));
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
