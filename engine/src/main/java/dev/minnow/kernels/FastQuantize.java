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
     * inputs read in bulk ({@link FloatRead}), then one pass of float arithmetic that C2 vectorises (JDK 17's C2
     * vectorises neither float-to-int conversions, sign copies nor int min/max, but float division, multiply, add and
     * {@code Math.min/max}) leaving each value rounded and clamped as a float, then a scalar pass that converts,
     * adds the zero point and stores. C's roundf (half away from zero) is {@code (int) (q + h)} with {@code h} the
     * largest float below one half carrying q's sign: {@code fl(|q| + h)} truncates to {@code floor(|q| + 1/2)} for
     * every float {@code |q| < 2^31} (checked on all of them; the plain {@code |q| + 0.5f} rounds 0.49999997f up to
     * 1), and float addition is symmetric in sign. The sign comes without a compare or a bit move: {@code h =
     * max(min(q * 2^100, h), -h)} (a quotient small enough to stay inside is below 2^-101 in magnitude, which rounds
     * to 0 either way). Clamping the float to {@code [min - zp, max - zp]}, whole numbers, before the truncation
     * equals clamping the integer after it (both monotonic). Quotients of 2^31 or more in magnitude, infinities and
     * NaN (the reference's x86 conversion gives INT32_MIN there) run the reference's {@code apply}. 640 values
     * (ToyCar fullint's input layer) in a micro-test: 3.1 against 6.9 us on a loaded machine (the sixth round's form:
     * a division pass, then the rounding with the sign by a xor and a subtract, and int min/max, in the scalar pass).
     */
    private static final class FromFloat implements PreparedOp {
        /** The |quotient| from which the reference's conversion leaves the int32 range (its apply runs there). */
        private static final float REFERENCE_FROM = 0x1p31f;
        /** The largest float below one half: {@code (int) (q + HALF_DOWN)} is roundf's for {@code 0 <= q < 2^31}. */
        private static final float HALF_DOWN = Math.nextDown(0.5f);
        /** Values per chunk: the length of the two scratch arrays (at most 8 KB, whatever the tensor's size, charged to the
         * node's prepare heap). */
        private static final int CHUNK = 1024;
        private final Quantize.FromFloat q;
        private final boolean int8;
        private final float scale, low, high;
        private final int zeroPoint;
        private final FloatRead read = new FloatRead();
        /** The chunk's inputs, overwritten by their quotients by the scale, and those rounded and clamped. */
        private final float[] quotient, rounded;

        FromFloat(Quantize.FromFloat q) {
            this.q = q;
            int8 = q.output().dataType() == DataType.INT8;
            scale = q.scale();
            zeroPoint = q.outZp();
            // whole numbers of at most 17 bits: exact as floats
            low = (float) ((long) q.min() - zeroPoint);
            high = (float) ((long) q.max() - zeroPoint);
            quotient = new float[scratch(q.n())];
            rounded = new float[quotient.length];
        }

        /** The length of the scratch arrays for {@code n} values. */
        static int scratch(int n) { return Math.min(n, CHUNK); }

        @Override
        public void eval() {
            byte[] ia = q.input().array(), oa = q.output().array();
            int io = q.input().offset(), oo = q.output().offset(), n = q.n();
            float[] quotient = this.quotient, rounded = this.rounded;
            float scale = this.scale, low = this.low, high = this.high;
            for (int from = 0; from < n; from += CHUNK) {
                int m = Math.min(CHUNK, n - from);
                read.read(ia, io + 4 * from, m, quotient, 0);
                for (int i = 0; i < m; i++) {
                    float f = quotient[i] / scale;
                    quotient[i] = f;
                    float h = Math.max(Math.min(f * 0x1p100f, HALF_DOWN), -HALF_DOWN);
                    rounded[i] = Math.min(Math.max(f + h, low), high);
                }
                int at = io + 4 * from;
                if (int8) {
                    for (int i = 0; i < m; i++) oa[oo + from + i] = (byte) value(i, ia, at);
                } else {
                    for (int i = 0; i < m; i++) LittleEndian.putShort(oa, oo + 2 * (from + i), (short) value(i, ia, at));
                }
            }
        }

        /** The quantized value of the chunk's input i (read again from {@code ia[at + 4 i]} where the reference runs). */
        private int value(int i, byte[] ia, int at) {
            return Math.abs(quotient[i]) < REFERENCE_FROM ? (int) rounded[i] + zeroPoint : q.apply(LittleEndian.getFloat(ia, at + 4 * i));
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
