package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/** DEQUANTIZE as TFLM's reference kernel: int8/int16/uint8 to float32, {@code (float)(scale * (q - zero_point))} in double. */
public final class Dequantize implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor input = KernelUtil.requiredInput(node, 0);
        Tensor output = node.output(0);
        DataType in = input.dataType();
        node.require(in == DataType.INT8 || in == DataType.INT16 || in == DataType.UINT8, "input type %s not supported", in.name());
        node.require(output.dataType() == DataType.FLOAT32, "output type %s, expected FLOAT32", output.dataType().name());
        node.require(input.numElements() == output.numElements(), "input has %d elements, output %d", input.numElements(), output.numElements());
        double scale = input.scale();
        int zp = input.zeroPoint();
        int n = input.numElements();
        return new Eval(input, output, n, scale, zp);
    }

    /** The eval (package-private so that FastQuantize can tabulate {@link #apply}). */
    record Eval(Tensor input, Tensor output, int n, double scale, int zp) implements PreparedOp {
        @Override public void eval() {
            DataType in = input.dataType();
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset();
            for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * i, apply(ElementIO.get(in, ia, io, i)));
        }

        /** The float value of input element q. */
        float apply(int q) { return (float) (scale * (q - zp)); }
    }
}
