package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * PAD (and PADV2 with a constant value input) as TFLM's kernel: constant int32 paddings, up to 5 dimensions; the
 * pad value is the constant input when given, else the output zero point for int8 and zero otherwise. Negative
 * paddings pass as in TFLM (only the output shape is checked) and run TFLM's PadImpl walk.
 */
public final class Pad implements OpKernel {
    private static final int MAX_RANK = 5;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 || node.inputCount() == 3, "has %d inputs, expected 2 or 3", node.inputCount());
        node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), paddings = KernelUtil.requiredInput(node, 1), out = node.output(0);
        Tensor constant = node.inputCount() == 3 ? node.input(2) : null;
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32,
                "Type %s not currently supported by Pad.", t.name());
        node.require(in.rank() <= MAX_RANK, "input rank %d exceeds %d", in.rank(), MAX_RANK);
        node.require(in.rank() == out.rank(), "input rank %d != output rank %d", in.rank(), out.rank());
        if (constant != null) {
            node.require(constant.dataType() == t, "constant value type %s != input type %s", constant.dataType().name(), t.name());
            node.require(constant.numElements() == 1, "constant value has %d elements, expected 1", constant.numElements());
        }
        node.require(paddings.numElements() == out.rank() * 2, "paddings have %d elements, expected %d", paddings.numElements(), out.rank() * 2);
        node.require(paddings.isConstant(), "Non-constant >paddings< tensor is not supported");
        node.require(paddings.dataType() == DataType.INT32, "paddings type %s, expected INT32", paddings.dataType().name());
        int rank = out.rank();
        int[] before = new int[rank], after = new int[rank];
        boolean negative = false;
        for (int i = 0; i < rank; i++) {
            int lo = paddings.getInt(2 * i), hi = paddings.getInt(2 * i + 1);
            int expected = in.dim(i) + lo + hi;
            node.require(out.dim(i) == expected, "output_dim != expected_dim (%d != %d)", out.dim(i), expected);
            before[i] = lo;
            after[i] = hi;
            negative |= lo < 0 || hi < 0;
        }
        if (t == DataType.INT8 && constant == null) {
            // "Quantized Pad requires that 0 is represented in the quantized range."
            node.require(out.zeroPoint() >= -128 && out.zeroPoint() <= 127, "output zero point %d outside the int8 range", out.zeroPoint());
        }
        if (t == DataType.INT8 && constant != null) {
            node.require(out.zeroPoint() == constant.zeroPoint(), "output zero point %d != constant zero point %d", out.zeroPoint(), constant.zeroPoint());
            node.require(out.scale() == constant.scale(), "output scale %s != constant scale %s", out.scale(), constant.scale());
        }
        int elem = t.byteSize();
        // TFLM checks no sign: a negative padding only has to give the model's output dimension. PadImpl then walks
        // the output and takes the next input element (in order) wherever no padding applies.
        if (negative) return padImpl(in, out, constant, t, before, after);
        int[] outShape = out.shape(), inShape = in.shape();
        int n = out.numElements();
        int[] outStrides = new int[rank];
        for (int d = 0; d < rank; d++) outStrides[d] = rowStride(outShape, d);
        int inner = rank == 0 ? 1 : inShape[rank - 1];
        int rows = inner == 0 ? 0 : in.numElements() / inner;
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            // Fill with the pad value, then copy the input rows into place.
            byte[] pv = constant != null ? constant.array() : null;
            int po = constant != null ? constant.offset() : 0;
            for (int i = 0; i < n; i++) {
                int p = oo + i * elem;
                if (pv != null) System.arraycopy(pv, po, oa, p, elem);
                else if (t == DataType.INT8) oa[p] = (byte) out.zeroPoint();
                else for (int b = 0; b < elem; b++) oa[p + b] = 0;
            }
            for (int r = 0; r < rows; r++) {
                // Row r of the input (all dimensions but the last) lands at its coordinates plus the leading pads.
                int rem = r, outIndex = before[rank - 1];
                for (int d = rank - 2; d >= 0; d--) {
                    int c = rem % inShape[d];
                    rem /= inShape[d];
                    outIndex += (c + before[d]) * outStrides[d];
                }
                System.arraycopy(ia, io + r * inner * elem, oa, oo + outIndex * elem, inner * elem);
            }
        };
    }

    /** reference_ops::PadImpl over the shape extended to 5 dimensions (used for negative paddings). */
    private static PreparedOp padImpl(Tensor in, Tensor out, Tensor constant, DataType t, int[] before, int[] after) {
        int rank = out.rank(), elem = t.byteSize();
        int[] o5 = new int[MAX_RANK], l5 = new int[MAX_RANK], r5 = new int[MAX_RANK];
        java.util.Arrays.fill(o5, 1);
        for (int i = 0; i < rank; i++) {
            int k = MAX_RANK - rank + i;
            o5[k] = out.dim(i);
            l5[k] = before[i];
            r5[k] = after[i];
        }
        int n = out.numElements();
        int[] c = new int[MAX_RANK];
        byte[] pad = new byte[elem];
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            if (constant != null) System.arraycopy(constant.array(), constant.offset(), pad, 0, elem);
            else if (t == DataType.INT8) pad[0] = (byte) out.zeroPoint();
            java.util.Arrays.fill(c, 0);
            int src = 0;
            for (int i = 0; i < n; i++) {
                boolean isPad = false;
                for (int d = 0; d < MAX_RANK && !isPad; d++) isPad = c[d] < l5[d] || c[d] >= o5[d] - r5[d];
                if (isPad) System.arraycopy(pad, 0, oa, oo + i * elem, elem);
                else System.arraycopy(ia, io + (src++) * elem, oa, oo + i * elem, elem);
                for (int d = MAX_RANK - 1; d >= 0; d--) {
                    if (++c[d] < o5[d]) break;
                    c[d] = 0;
                }
            }
        };
    }

    /** Elements between consecutive indices of dimension d in a row-major shape. */
    private static int rowStride(int[] shape, int d) {
        int s = 1;
        for (int k = d + 1; k < shape.length; k++) s *= shape[k];
        return s;
    }
}
