package dev.minnow.kernels;

import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/** SQUEEZE: drops size-1 dimensions (all, or those listed in squeezeDims); checked against the model's output shape. */
public final class Squeeze implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor input = KernelUtil.requiredInput(node, 0), output = node.output(0);
        int rank = input.rank();
        node.require(rank <= 8, "input rank %d exceeds 8", rank);
        int[] dims = Options.Squeeze.of(node.options()).squeezeDims();
        boolean[] squeeze = new boolean[rank];
        if (dims.length == 0) {
            for (int i = 0; i < rank; i++) squeeze[i] = input.dim(i) == 1;
        } else {
            for (int d : dims) {
                int cur = d < 0 ? d + rank : d;
                node.require(cur >= 0 && cur < rank && input.dim(cur) == 1, "cannot squeeze dimension %d of shape %s", d,
                        java.util.Arrays.toString(input.shape()));
                squeeze[cur] = true;
            }
        }
        int outRank = 0;
        for (boolean s : squeeze) if (!s) outRank++;
        node.require(outRank == output.rank(), "squeezed rank %d != output rank %d", outRank, output.rank());
        // squeeze.cc: TFLITE_CHECK_GE(output_dims->data[out_idx++], input_dims->data[in_idx]) for every kept dimension.
        for (int in = 0, o = 0; in < rank; in++) {
            if (squeeze[in]) continue;
            node.require(output.dim(o) >= input.dim(in), "output dimension %d is %d, smaller than input dimension %d (%d)",
                    o, output.dim(o), in, input.dim(in));
            o++;
        }
        return CopyOp.of(node, input, output);
    }
}
