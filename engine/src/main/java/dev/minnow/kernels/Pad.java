package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;
import dev.minnow.model.DataType;

/**
 * PAD (and PADV2 with a constant value input) as TFLM's kernel: constant int32 paddings, up to 5 dimensions; the
 * pad value is the constant input when given, else the output zero point for int8 and zero otherwise.
 */
public class Pad implements OpKernel {
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
        int[] before = new int[rank];
        for (int i = 0; i < rank; i++) {
            int lo = paddings.getInt(2 * i), hi = paddings.getInt(2 * i + 1);
            node.require(lo >= 0 && hi >= 0, "negative padding %d/%d in dimension %d", lo, hi, i);
            int expected = in.dim(i) + lo + hi;
            node.require(out.dim(i) == expected, "output_dim != expected_dim (%d != %d)", out.dim(i), expected);
            before[i] = lo;
        }
        if (t == DataType.INT8 && constant != null) {
            node.require(out.zeroPoint() == constant.zeroPoint(), "output zero point %d != constant zero point %d", out.zeroPoint(), constant.zeroPoint());
            node.require(out.scale() == constant.scale(), "output scale %s != constant scale %s", out.scale(), constant.scale());
        }
        int elem = t.byteSize();
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

    /** Elements between consecutive indices of dimension d in a row-major shape. */
    private static int rowStride(int[] shape, int d) {
        int s = 1;
        for (int k = d + 1; k < shape.length; k++) s *= shape[k];
        return s;
    }
}
