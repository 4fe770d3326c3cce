package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * CONCATENATION as TFLM's kernel: inputs joined along an axis (negative counts from the end); float32, int8 (all
 * inputs sharing the output's scale and zero point), int16 (zero points 0), int32, int64 and bool; no activation.
 */
public final class Concatenation implements OpKernel {
    /** Prepare fetches input 0 and the output, then every input again (TFLM's concatenation.cc). */
    public static int[] temps(OperatorInfo op, SubgraphInfo g) {
        List<Integer> list = new ArrayList<>();
        Footprints.add(list, Footprints.input(op, 0), op.output(0));
        for (int i : op.inputs()) Footprints.add(list, i);
        return Footprints.ints(list);
    }

    private static final int MAX_INPUTS = 10;
    private static final int MAX_RANK = 6;

    @Override
    public PreparedOp prepare(NodeContext node) {
        Tensor first = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = first.dataType();
        Options.Concatenation o = Options.Concatenation.of(node.options());
        node.require(o.fusedActivationFunction() == 0,
                "params->activation != kTfLiteActNone (%d)", o.fusedActivationFunction());
        node.require(EnumSet.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.BOOL).contains(t),
                "Op Concatenation does not currently support type '%s'.", t.name());
        node.require(out.dataType() == t, "output type %s != input type %s", out.dataType().name(), t.name());
        int n = node.inputCount();
        node.require(n <= MAX_INPUTS, "%d inputs exceed %d", n, MAX_INPUTS);
        int rank = out.rank();
        int axis = o.axis();
        if (axis < 0) axis += rank;
        node.require(axis >= 0 && axis < rank, "axis %d out of range for rank %d", o.axis(), rank);
        Tensor[] inputs = new Tensor[n];
        int axisTotal = 0;
        for (int i = 0; i < n; i++) {
            Tensor in = KernelUtil.requiredInput(node, i);
            inputs[i] = in;
            node.require(in.dataType() == t, "input %d type %s != %s", i, in.dataType().name(), t.name());
            node.require(in.rank() <= MAX_RANK, "Op Concatenation does not currently support num dimensions > %d Tensor has %d dimensions.", MAX_RANK, in.rank());
            node.require(in.rank() == rank, "input %d rank %d != output rank %d", i, in.rank(), rank);
            if (t == DataType.INT8) {
                node.require((double) in.scale() == (double) out.scale(), "input %d scale %s != output scale %s", i, in.scale(), out.scale());
                node.require(in.zeroPoint() == out.zeroPoint(), "input %d zero point %d != output zero point %d", i, in.zeroPoint(), out.zeroPoint());
            } else if (t == DataType.INT16) {
                node.require(in.zeroPoint() == 0, "input %d zero point %d != 0", i, in.zeroPoint());
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis) node.require(in.dim(d) == out.dim(d), "input %d dimension %d is %d, output has %d", i, d, in.dim(d), out.dim(d));
            }
            axisTotal += in.dim(axis);
        }
        if (t == DataType.INT16) node.require(out.zeroPoint() == 0, "output zero point %d != 0", out.zeroPoint());
        node.require(axisTotal == out.dim(axis), "inputs sum to %d along axis %d, output has %d", axisTotal, axis, out.dim(axis));
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= out.dim(d);
        for (int d = axis + 1; d < rank; d++) inner *= out.dim(d);
        int elem = t.byteSize();
        int[] copyBytes = new int[n];
        for (int i = 0; i < n; i++) copyBytes[i] = inputs[i].dim(axis) * inner * elem;
        int outerCount = outer;
        return () -> {
            byte[] oa = out.array();
            int pos = out.offset();
            for (int k = 0; k < outerCount; k++) {
                for (int i = 0; i < n; i++) {
                    int c = copyBytes[i];
                    System.arraycopy(inputs[i].array(), inputs[i].offset() + k * c, oa, pos, c);
                    pos += c;
                }
            }
        };
    }
}
