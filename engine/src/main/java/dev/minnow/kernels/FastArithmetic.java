package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * ADD, SUB and MUL with fast loops for int8, int16 and float32 outputs; int32, and every node when the interpreter
 * asks for reference kernels, run {@link Arithmetic}'s reference evals. Same prepare (the reference's), same bytes.
 *
 * <p>The fast loops keep every fixed-point step of the reference in its order (the steps round, so they are not
 * associative) and only drop what the reference pays per element: the type switch of {@code ElementIO}, the
 * broadcast map when an input has the output's layout (a map equal to the identity is dropped at prepare), and, for
 * int8 ADD/SUB, the input rescaling: each input's rescaled value {@code M_k((x + offset_k) << 20)} depends on its 256
 * possible bytes only, so prepare tabulates it with the reference's own arithmetic and eval adds two table entries
 * before the output multiplier. An int8 node with a large output goes further: its result is a function of the
 * 65,536 input pairs, tabulated at prepare with the same arithmetic (64 KiB, accounted to the prepare-time heap), so
 * eval is one table load per element.
 */
public final class FastArithmetic implements OpKernel {
    private final Arithmetic reference;

    /** An ADD, SUB or MUL kernel with fast loops. */
    public FastArithmetic(Arithmetic.Kind kind) { this.reference = new Arithmetic(kind); }

    /** Prepares as {@link Arithmetic}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        PreparedOp ref = reference.prepare(node);
        if (!node.useFastKernels()) return ref;
        PreparedOp fast = of(node, ref);
        return fast != null ? fast : ref;
    }

    /** int8 nodes with at least this many output elements look their results up in a 64 KiB table of all input pairs. */
    static final int PAIR_TABLE_MIN = 4096;

    /** The fast eval of a prepared reference eval, or null when there is none (int32, empty output). */
    static PreparedOp of(NodeContext node, PreparedOp ref) {
        if (ref instanceof Arithmetic.QuantAddSub q && q.n() > 0) {
            int[] ma = map(q.maps(), 0, q.n()), mb = map(q.maps(), 1, q.n());
            if (q.out().dataType() != DataType.INT8) return new Int16AddSub(q, ma, mb);
            Int8AddSub op = new Int8AddSub(q, ma, mb);
            return pairTable(node, q.n()) ? new Int8Pairs(q.a(), q.b(), q.out(), q.n(), ma, mb, op::apply) : op;
        }
        if (ref instanceof Arithmetic.QuantMul q && q.n() > 0) {
            int[] ma = map(q.maps(), 0, q.n()), mb = map(q.maps(), 1, q.n());
            return q.out().dataType() == DataType.INT8 && pairTable(node, q.n())
                    ? new Int8Pairs(q.a(), q.b(), q.out(), q.n(), ma, mb, q::apply) : new QuantMul(q, ma, mb);
        }
        if (ref instanceof Arithmetic.FloatOp f && f.n() > 0) {
            int[] ma = map(f.maps(), 0, f.n()), mb = map(f.maps(), 1, f.n());
            FloatChunks.Clamp clamp = ma == null && mb == null ? FloatChunks.Clamp.of(f.min(), f.max()) : null;
            if (clamp != null && KernelUtil.tryReserveHeap(node, 3L * 4 * Math.min(f.n(), FloatChunks.CHUNK), "float ADD/SUB/MUL chunks")) {
                return new FloatChunks(f, clamp);
            }
            return new FloatOp(f, ma, mb);
        }
        return null;
    }

    /**
     * Whether an int8 node gets the 64 KiB pair table: large enough outputs (the table costs 65,536 evaluations at
     * prepare), and the interpreter's prepare-time heap budget has room (otherwise the per-element loop runs).
     */
    private static boolean pairTable(NodeContext node, int n) {
        if (n < PAIR_TABLE_MIN) return false;
        return KernelUtil.tryReserveHeap(node, 1 << 16, "a 64 KiB table of the int8 results of all input pairs");
    }

    /** Input k's index map, or null when it is absent or the identity (the input has the output's layout). */
    private static int[] map(int[][] maps, int k, int n) {
        if (maps == null) return null;
        int[] m = maps[k];
        for (int i = 0; i < n; i++) if (m[i] != i) return m;
        return null;
    }

    /** What every fast binary eval reads: the two inputs, the output, its element count and the inputs' index maps. */
    private abstract static class Binary implements PreparedOp {
        final Tensor a, b, out;
        final int n;
        /** Input a's and b's index maps, or null where the input has the output's layout. */
        final int[] mapA, mapB;

        Binary(Tensor a, Tensor b, Tensor out, int n, int[] mapA, int[] mapB) {
            this.a = a;
            this.b = b;
            this.out = out;
            this.n = n;
            this.mapA = mapA;
            this.mapB = mapB;
        }
    }

    /** int8 ADD/SUB: per-input tables of the rescaled inputs (SUB negates the second), then the output stage. */
    private static final class Int8AddSub extends Binary {
        private final Arithmetic.QuantAddSub q;
        private final int[] tableA = new int[256], tableB = new int[256];

        Int8AddSub(Arithmetic.QuantAddSub q, int[] mapA, int[] mapB) {
            super(q.a(), q.b(), q.out(), q.n(), mapA, mapB);
            this.q = q;
            for (int v = -128; v < 128; v++) {
                tableA[v & 0xFF] = q.scaled(v, false);
                int sy = q.scaled(v, true);
                tableB[v & 0xFF] = q.subtract() ? -sy : sy; // sx - sy == sx + (-sy) in wrapping int32 arithmetic
            }
        }

        /** The output of input bytes x and y: the reference's arithmetic, through the input tables. */
        int apply(int x, int y) { return q.output(tableA[x & 0xFF] + tableB[y & 0xFF]); }

        @Override
        public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            int[] ta = tableA, tb = tableB, ma = mapA, mb = mapB;
            Arithmetic.QuantAddSub q = this.q;
            if (ma == null && mb == null) {
                for (int i = 0; i < n; i++) oa[oo + i] = (byte) q.output(ta[aa[ao + i] & 0xFF] + tb[ba[bo + i] & 0xFF]);
            } else {
                for (int i = 0; i < n; i++) {
                    int raw = ta[aa[ao + (ma == null ? i : ma[i])] & 0xFF] + tb[ba[bo + (mb == null ? i : mb[i])] & 0xFF];
                    oa[oo + i] = (byte) q.output(raw);
                }
            }
        }
    }

    /**
     * int8 ADD/SUB/MUL of a large output: the results of all 65,536 input pairs, computed at prepare with the
     * per-element arithmetic, and one table load per element.
     */
    private static final class Int8Pairs extends Binary {
        private final byte[] pairs = new byte[1 << 16];

        Int8Pairs(Tensor a, Tensor b, Tensor out, int n, int[] mapA, int[] mapB, java.util.function.IntBinaryOperator f) {
            super(a, b, out, n, mapA, mapB);
            for (int x = -128; x < 128; x++) {
                for (int y = -128; y < 128; y++) pairs[(x & 0xFF) << 8 | (y & 0xFF)] = (byte) f.applyAsInt(x, y);
            }
        }

        @Override
        public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array(), p = pairs;
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            int[] ma = mapA, mb = mapB;
            if (ma == null && mb == null) {
                for (int i = 0; i < n; i++) oa[oo + i] = p[(aa[ao + i] & 0xFF) << 8 | (ba[bo + i] & 0xFF)];
            } else {
                for (int i = 0; i < n; i++) {
                    oa[oo + i] = p[(aa[ao + (ma == null ? i : ma[i])] & 0xFF) << 8 | (ba[bo + (mb == null ? i : mb[i])] & 0xFF)];
                }
            }
        }
    }

    /** int16 ADD/SUB: the reference's element arithmetic on little-endian shorts, without the type switch. */
    private static final class Int16AddSub extends Binary {
        private final Arithmetic.QuantAddSub q;

        Int16AddSub(Arithmetic.QuantAddSub q, int[] mapA, int[] mapB) {
            super(q.a(), q.b(), q.out(), q.n(), mapA, mapB);
            this.q = q;
        }

        @Override
        public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            int[] ma = mapA, mb = mapB;
            Arithmetic.QuantAddSub q = this.q;
            for (int i = 0; i < n; i++) {
                int x = LittleEndian.getShort(aa, ao + 2 * (ma == null ? i : ma[i]));
                int y = LittleEndian.getShort(ba, bo + 2 * (mb == null ? i : mb[i]));
                LittleEndian.putShort(oa, oo + 2 * i, (short) q.apply(x, y));
            }
        }
    }

    /** int8/int16 MUL: the reference's element arithmetic, without the type switch. */
    private static final class QuantMul extends Binary {
        private final Arithmetic.QuantMul q;
        private final boolean int8;

        QuantMul(Arithmetic.QuantMul q, int[] mapA, int[] mapB) {
            super(q.a(), q.b(), q.out(), q.n(), mapA, mapB);
            this.q = q;
            int8 = out.dataType() == DataType.INT8;
        }

        @Override
        public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            int[] ma = mapA, mb = mapB;
            Arithmetic.QuantMul q = this.q;
            if (int8) {
                for (int i = 0; i < n; i++) {
                    oa[oo + i] = (byte) q.apply(aa[ao + (ma == null ? i : ma[i])], ba[bo + (mb == null ? i : mb[i])]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int x = LittleEndian.getShort(aa, ao + 2 * (ma == null ? i : ma[i]));
                    int y = LittleEndian.getShort(ba, bo + 2 * (mb == null ? i : mb[i]));
                    LittleEndian.putShort(oa, oo + 2 * i, (short) q.apply(x, y));
                }
            }
        }
    }

    /** float32 ADD/SUB/MUL: one operation and the activation clamp per element, the kind chosen outside the loop. */
    private static final class FloatOp extends Binary {
        private final Arithmetic.Kind kind;
        private final float min, max;

        FloatOp(Arithmetic.FloatOp f, int[] mapA, int[] mapB) {
            super(f.a(), f.b(), f.out(), f.n(), mapA, mapB);
            kind = f.kind();
            min = f.min();
            max = f.max();
        }

        @Override
        public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            int[] ma = mapA, mb = mapB;
            float lo = min, hi = max;
            switch (kind) {
                case ADD -> {
                    for (int i = 0; i < n; i++) {
                        float r = LittleEndian.getFloat(aa, ao + 4 * (ma == null ? i : ma[i]))
                                + LittleEndian.getFloat(ba, bo + 4 * (mb == null ? i : mb[i]));
                        LittleEndian.putFloat(oa, oo + 4 * i, KernelUtil.clamp(r, lo, hi));
                    }
                }
                case SUB -> {
                    for (int i = 0; i < n; i++) {
                        float r = LittleEndian.getFloat(aa, ao + 4 * (ma == null ? i : ma[i]))
                                - LittleEndian.getFloat(ba, bo + 4 * (mb == null ? i : mb[i]));
                        LittleEndian.putFloat(oa, oo + 4 * i, KernelUtil.clamp(r, lo, hi));
                    }
                }
                case MUL -> {
                    for (int i = 0; i < n; i++) {
                        float r = LittleEndian.getFloat(aa, ao + 4 * (ma == null ? i : ma[i]))
                                * LittleEndian.getFloat(ba, bo + 4 * (mb == null ? i : mb[i]));
                        LittleEndian.putFloat(oa, oo + 4 * i, KernelUtil.clamp(r, lo, hi));
                    }
                }
            }
        }
    }

    /**
     * float32 ADD/SUB/MUL of two inputs with the output's layout, in chunks of {@link #CHUNK} values: both inputs read
     * in bulk ({@link FloatRead}), the operation and the activation in loops of plain float arithmetic that C2 on JDK
     * 17 vectorises, and a bulk write. The per-element loop ({@link FloatOp}) assembled each float from four bytes and
     * clamped with the reference's compare-selects, which C2 leaves as branches (random signs under a ReLU
     * mispredict): ResNet float's ADDs ran at about half TFLM's speed.
     */
    private static final class FloatChunks implements PreparedOp {
        /** Values per chunk: three 4 KB arrays stay in L1, and 1,024-long loops spend little in C2's pre- and post-loops. */
        static final int CHUNK = 1024;
        private final Arithmetic.Kind kind;
        private final Tensor a, b, out;
        private final int n;
        private final float min, max;
        private final Clamp clamp;
        private final float[] x, y, r;
        /**
         * One reader per operand and one for the output: a {@link FloatRead} keeps the view of the last array it saw,
         * and the operands may live in different arrays (a constant in the model's buffer, an activation in the arena),
         * so a shared one made a new view, an allocation, on every chunk.
         */
        private final FloatRead readA = new FloatRead(), readB = new FloatRead(), writeOut = new FloatRead();

        /** {@code f} with its activation in the form {@code clamp} ({@link Clamp#of} its bounds, not null). */
        FloatChunks(Arithmetic.FloatOp f, Clamp clamp) {
            kind = f.kind();
            a = f.a();
            b = f.b();
            out = f.out();
            n = f.n();
            min = f.min();
            max = f.max();
            this.clamp = clamp;
            int c = Math.min(n, CHUNK);
            x = new float[c];
            y = new float[c];
            r = new float[c];
        }

        /**
         * How the activation {@code KernelUtil.clamp(v, lo, hi)} runs in lanes. {@code Math.max(v, lo)} and
         * {@code Math.min(v, hi)} equal the reference's {@code v < lo ? lo : v} and {@code hi < v ? hi : v} (NaN stays
         * NaN) except on two zeros of opposite signs, where Java orders -0.0 below +0.0 and the reference keeps v. So
         * bounds that are not zeros clamp with min/max; a lower bound of +0.0 (ReLU, ReLU6) uses {@link #ZERO_LOW}'s
         * form; a zero upper bound or a -0.0 lower bound is left to the per-element loop.
         */
        enum Clamp {
            /** No bound: every value passes (NONE: -inf and +inf). */
            NONE,
            /** Non-zero bounds: {@code min(max(v, lo), hi)}. */
            MIN_MAX,
            /**
             * Lower bound +0.0 ({@code hi} not a zero): {@code max(v, -0.0) + s * -0.0} with {@code s = min(max(v + 0.0,
             * -1), 1)}, then {@code min(., hi)}. The first term is v for v >= +0.0, -0.0 for v = -0.0 (the reference
             * keeps it) and -0.0 for v < 0, where the reference gives +0.0: {@code v + 0.0} is +0.0 for v = -0.0 and v
             * itself otherwise, clamped to a finite sign carrier s, so {@code s * -0.0} is -0.0 for v = -0.0 and v > 0,
             * +0.0 for v < 0; adding it changes no non-zero value and turns the -0.0 of v < 0 into +0.0 (a sum of two
             * zeros is -0.0 only when both are). NaN stays NaN.
             */
            ZERO_LOW;

            /** The form for bounds (lo, hi), or null when the per-element loop must run. */
            static Clamp of(float lo, float hi) {
                if (lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY) return NONE;
                if (Float.isNaN(lo) || Float.isNaN(hi) || hi == 0f) return null;
                if (lo != 0f) return MIN_MAX;
                return Float.floatToRawIntBits(lo) == 0 ? ZERO_LOW : null;
            }
        }

        @Override
        public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            float[] x = this.x, y = this.y, r = this.r;
            for (int i = 0; i < n; i += CHUNK) {
                int c = Math.min(CHUNK, n - i);
                readA.read(aa, ao + 4 * i, c, x, 0);
                readB.read(ba, bo + 4 * i, c, y, 0);
                switch (kind) {
                    case ADD -> { for (int k = 0; k < c; k++) r[k] = x[k] + y[k]; }
                    case SUB -> { for (int k = 0; k < c; k++) r[k] = x[k] - y[k]; }
                    case MUL -> { for (int k = 0; k < c; k++) r[k] = x[k] * y[k]; }
                }
                activate(r, c, clamp, min, max);
                writeOut.write(r, 0, c, oa, oo + 4 * i);
            }
        }

        /** {@code r[k] = KernelUtil.clamp(r[k], lo, hi)} for {@code k < c}, in the form {@code clamp} (see {@link Clamp}). */
        static void activate(float[] r, int c, Clamp clamp, float lo, float hi) {
            switch (clamp) {
                case NONE -> { }
                case MIN_MAX -> { for (int k = 0; k < c; k++) r[k] = Math.min(Math.max(r[k], lo), hi); }
                case ZERO_LOW -> {
                    for (int k = 0; k < c; k++) {
                        float v = r[k];
                        r[k] = Math.max(v, -0.0f) + Math.min(Math.max(v + 0.0f, -1f), 1f) * -0.0f;
                    }
                    if (hi != Float.POSITIVE_INFINITY) for (int k = 0; k < c; k++) r[k] = Math.min(r[k], hi);
                }
            }
        }
    }
}
