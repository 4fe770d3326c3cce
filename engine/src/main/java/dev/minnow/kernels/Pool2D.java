package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D as TFLM's reference kernels: the window is clipped to the image (padding is not
 * counted), averages divide by the number of taps (integers rounding half away from zero), maxima start from the
 * type's lowest value; float32, int8 and int16 with matching input/output quantization.
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes TFLM's checks and derives an immutable
 * {@link Params} (kind, geometry, activation range, tensors, {@link Variant}); the reference loops are the static
 * {@code eval*} methods over it and {@link #reference} picks the one for a variant. A faster kernel reuses
 * {@code prepareParams} and replaces only the loop ({@code node -> { Pool2D.Params p = Pool2D.prepareParams(node,
 * kind); return ... }}), byte-identical to the reference method.
 */
public final class Pool2D implements OpKernel {
    /** The pooling: AVERAGE_POOL_2D or MAX_POOL_2D. */
    public enum Kind { AVERAGE, MAX }
    /** Element operations: every window tap inside the image, per channel and output position. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0));
        Options.Pool2D o = Options.Pool2D.of(op.options());
        int[] pad = ConvGeometry.paddings(o.padding(), in.dim(1), in.dim(2), o.filterHeight(), o.filterWidth(), o.strideH(),
                o.strideW(), 1, 1);
        long ty = ConvGeometry.tapsInside(in.dim(1), out.dim(1), o.filterHeight(), o.strideH(), 1, pad[0]);
        long tx = ConvGeometry.tapsInside(in.dim(2), out.dim(2), o.filterWidth(), o.strideW(), 1, pad[1]);
        return WorkCount.elements((long) out.dim(0) * out.dim(3) * ty * tx);
    }


    /** Which reference loop runs a prepared node: the tensors' type. */
    public enum Variant {
        /** float32 input and output. */
        FLOAT32,
        /** int8 input and output of equal scale and zero point. */
        INT8,
        /** int16 input and output of equal scale and zero point. */
        INT16
    }

    /**
     * Everything prepare derives for one node (TFLM's OpDataPooling and PoolParams). The tensors' data is valid from
     * the first eval on.
     *
     * @param geometry      sizes, strides and padding (the window is the filter; no dilation)
     * @param floatMin      float clamp of the fused activation (FLOAT32)
     * @param floatMax      float clamp of the fused activation (FLOAT32)
     * @param activationMin quantized clamp of the fused activation (INT8, INT16)
     * @param activationMax quantized clamp of the fused activation (INT8, INT16)
     */
    public record Params(Kind kind, Variant variant, Tensor input, Tensor output, ConvGeometry geometry, float floatMin,
                         float floatMax, int activationMin, int activationMax) {}

    private final Kind kind;

    /** An AVERAGE_POOL_2D or MAX_POOL_2D kernel. */
    public Pool2D(Kind kind) { this.kind = kind; }

    /** The reference kernel: prepare's checks and derivations, then the reference loop of the node's variant. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        return reference(prepareParams(node, kind));
    }

    /** The node's reference eval: the {@code eval*} method of its variant. */
    public static PreparedOp reference(Params p) {
        PoolWindow w = new PoolWindow(p.geometry()); // one per node: invoke allocates nothing
        return switch (p.variant()) {
            case FLOAT32 -> () -> evalFloat32(p, w);
            case INT8 -> () -> evalInt8(p, w);
            case INT16 -> () -> evalInt16(p, w);
        };
    }

    /** TFLM's Prepare (and its Eval's checks) for one pooling node, and everything derivable; fails where TFLM rejects it. */
    public static Params prepareParams(NodeContext node, Kind kind) {
        boolean average = kind == Kind.AVERAGE;
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        Options.Pool2D o = Options.Pool2D.of(node.options());
        int fh = o.filterHeight(), fw = o.filterWidth();
        ConvGeometry g = ConvGeometry.of(node, in, fh, fw, out, o.strideH(), o.strideW(), 1, 1,
                o.padding());
        node.require(g.inDepth() == g.outDepth(), "input depth %d != output depth %d", g.inDepth(), g.outDepth());
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        int activation = o.fusedActivationFunction();
        if (t == DataType.INT8 || t == DataType.INT16) {
            double scaleDiff = Math.abs(in.scale() - out.scale());
            node.require(scaleDiff <= 1.0e-6, "scale_diff <= 1.0e-6 was not true (input scale %s, output scale %s)", in.scale(), out.scale());
            node.require(in.zeroPoint() == out.zeroPoint(), "input zero point %d != output zero point %d", in.zeroPoint(), out.zeroPoint());
            int[] r = KernelUtil.activationRangeQuantized(node, activation, out);
            if (average && (g.filterHeight() <= 0 || g.filterWidth() <= 0)) throw node.fail("empty pooling window %dx%d", fh, fw);
            return new Params(kind, t == DataType.INT8 ? Variant.INT8 : Variant.INT16, in, out, g, 0f, 0f, r[0], r[1]);
        }
        node.require(t == DataType.FLOAT32, "Type %s (%d) not supported.", t.name(), t.code());
        float[] r = KernelUtil.activationRangeFloat(activation);
        return new Params(kind, Variant.FLOAT32, in, out, g, r[0], r[1], 0, 0);
    }

    /**
     * The float32 reference loop: per output, the window clipped to the image, channel by channel.
     * (This one allocates a window cursor per call; {@link #reference} keeps one per node.)
     */
    public static void evalFloat32(Params p) {
        evalFloat32(p, new PoolWindow(p.geometry()));
    }

    private static void evalFloat32(Params p, PoolWindow w) {
        Tensor in = p.input(), out = p.output();
        ConvGeometry g = p.geometry();
        boolean average = p.kind() == Kind.AVERAGE;
        float min = p.floatMin(), max = p.floatMax();
        byte[] ia = in.array(), oa = out.array();
        int io = in.offset(), oo = out.offset(), d = g.inDepth();
        int pos = oo;
        for (int b = 0; b < g.batches(); b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    w.moveTo(oy, ox);
                    for (int c = 0; c < d; c++) {
                        float acc = average ? 0f : -Float.MAX_VALUE;
                        int count = 0;
                        for (int fy = w.fy0; fy < w.fy1; fy++) {
                            for (int fx = w.fx0; fx < w.fx1; fx++) {
                                float v = LittleEndian.getFloat(ia, io + 4 * w.element(b, fy, fx, c));
                                if (average) { acc += v; count++; } else if (acc < v) acc = v;
                            }
                        }
                        float r = average ? acc / count : acc;
                        LittleEndian.putFloat(oa, pos, KernelUtil.clamp(r, min, max));
                        pos += 4;
                    }
                }
            }
        }
    }

    /**
     * The int8 reference loop: int32 sums divided rounding half away from zero, or maxima from -128.
     * (This one allocates a window cursor per call; {@link #reference} keeps one per node.)
     */
    public static void evalInt8(Params p) {
        evalInt8(p, new PoolWindow(p.geometry()));
    }

    private static void evalInt8(Params p, PoolWindow w) {
        Tensor in = p.input(), out = p.output();
        ConvGeometry g = p.geometry();
        boolean average = p.kind() == Kind.AVERAGE;
        int min = p.activationMin(), max = p.activationMax();
        byte[] ia = in.array(), oa = out.array();
        int io = in.offset(), oo = out.offset(), d = g.inDepth();
        int i = 0;
        for (int b = 0; b < g.batches(); b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    w.moveTo(oy, ox);
                    for (int c = 0; c < d; c++) {
                        int acc = average ? 0 : -128;
                        int count = 0;
                        for (int fy = w.fy0; fy < w.fy1; fy++) {
                            for (int fx = w.fx0; fx < w.fx1; fx++) {
                                int v = ia[io + w.element(b, fy, fx, c)];
                                if (average) { acc += v; count++; } else acc = Math.max(acc, v);
                            }
                        }
                        if (average) acc = roundedAverage(acc, count);
                        oa[oo + i++] = (byte) Math.min(Math.max(acc, min), max);
                    }
                }
            }
        }
    }

    /**
     * The int16 reference loop: int32 sums divided rounding half away from zero, or maxima from -32768.
     * (This one allocates a window cursor per call; {@link #reference} keeps one per node.)
     */
    public static void evalInt16(Params p) {
        evalInt16(p, new PoolWindow(p.geometry()));
    }

    private static void evalInt16(Params p, PoolWindow w) {
        Tensor in = p.input(), out = p.output();
        ConvGeometry g = p.geometry();
        boolean average = p.kind() == Kind.AVERAGE;
        int min = p.activationMin(), max = p.activationMax();
        byte[] ia = in.array(), oa = out.array();
        int io = in.offset(), oo = out.offset(), d = g.inDepth();
        int i = 0;
        for (int b = 0; b < g.batches(); b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    w.moveTo(oy, ox);
                    for (int c = 0; c < d; c++) {
                        int acc = average ? 0 : -32768;
                        int count = 0;
                        for (int fy = w.fy0; fy < w.fy1; fy++) {
                            for (int fx = w.fx0; fx < w.fx1; fx++) {
                                int v = LittleEndian.getShort(ia, io + 2 * w.element(b, fy, fx, c));
                                if (average) { acc += v; count++; } else acc = Math.max(acc, v);
                            }
                        }
                        if (average) acc = roundedAverage(acc, count);
                        LittleEndian.putShort(oa, oo + 2 * i++, (short) Math.min(Math.max(acc, min), max));
                    }
                }
            }
        }
    }

    /**
     * sum / count rounded half away from zero, as TFLM's integer average pooling; count == 0 only for windows entirely
     * outside the image, where TFLM fails the invoke (minnow writes 0).
     */
    static int roundedAverage(int acc, int count) {
        return count == 0 ? 0 : acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
    }
}
