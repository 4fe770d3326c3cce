package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * SPACE_TO_DEPTH and DEPTH_TO_SPACE as TFLM's kernels: NHWC float32 or int8, blocks of {@code block_size} x
 * {@code block_size} pixels moved into (or out of) the channels. Prepare rewrites the output's dimensions from the
 * input's, so the model's output only has to be rank 4 with as many elements.
 */
public final class DepthSpace implements OpKernel {
    /** The direction of the move. */
    public enum Mode { SPACE_TO_DEPTH, DEPTH_TO_SPACE }

    private final Mode mode;

    /** The kernel of SPACE_TO_DEPTH or DEPTH_TO_SPACE. */
    public DepthSpace(Mode mode) { this.mode = mode; }

    /** Params {int block_size}; Prepare fetches input and output and makes the output's dims writable. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(4, 4, new int[0], new int[] {Target.intArrayBytes(g.tensor(op.output(0)).rank())}, new int[0],
                Footprints.ALL_TENSORS.of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1, "NumInputs(node) != 1 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        node.require(in.rank() == 4, "NumDimensions(input) != 4 (%d)", in.rank());
        DataType t = out.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "output type %s: only float32 and int8", t.name());
        node.require(in.dataType() == t, "input type %s != output type %s", in.dataType().name(), t.name());
        // without options TFLM leaves params->block_size unset (0 in its zeroed arena): rejected as 0 is
        int block = mode == Mode.SPACE_TO_DEPTH ? Options.SpaceToDepth.of(node.options()).blockSize()
                : Options.DepthToSpace.of(node.options()).blockSize();
        node.require(block > 0, "block_size %d (must be positive)", block);
        int batch = in.dim(0), h = in.dim(1), w = in.dim(2), c = in.dim(3);
        int oh, ow, oc;
        if (mode == Mode.SPACE_TO_DEPTH) {
            oh = h / block;
            ow = w / block;
            node.require(h == oh * block, "input height %d is not a multiple of block_size %d", h, block);
            node.require(w == ow * block, "input width %d is not a multiple of block_size %d", w, block);
            oc = c * block * block;
        } else {
            oh = h * block;
            ow = w * block;
            oc = c / block / block;
            node.require(c == oc * block * block, "input depth %d is not a multiple of block_size^2 (%d)", c, block * block);
        }
        // TFLM overwrites dims 0..3 of the output's (copied) dims, then its reference kernel DCHECKs rank <= 4
        node.require(out.rank() == 4, "output rank %d, TFLM writes 4 dimensions", out.rank());
        long count = (long) batch * oh * ow * oc;
        node.require(count == out.numElements(), "output has %d elements, %s gives [%d, %d, %d, %d]", out.numElements(),
                mode.name(), batch, oh, ow, oc);
        int elem = t.byteSize();
        // Walk the input: each run of c input channels lands at one output pixel (SPACE_TO_DEPTH), or each run of oc
        // input channels goes to one output pixel (DEPTH_TO_SPACE); both are copies of contiguous runs.
        if (mode == Mode.SPACE_TO_DEPTH) {
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset(), run = c * elem;
                for (int b = 0; b < batch; b++)
                    for (int y = 0; y < h; y++)
                        for (int x = 0; x < w; x++) {
                            int od = ((y % block) * block + x % block) * c;
                            int dst = (((b * oh + y / block) * ow + x / block) * oc + od) * elem;
                            int src = (((b * h + y) * w + x) * c) * elem;
                            System.arraycopy(ia, io + src, oa, oo + dst, run);
                        }
            };
        }
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), run = oc * elem;
            for (int b = 0; b < batch; b++)
                for (int y = 0; y < oh; y++)
                    for (int x = 0; x < ow; x++) {
                        int id = ((y % block) * block + x % block) * oc;
                        int src = (((b * h + y / block) * w + x / block) * c + id) * elem;
                        int dst = (((b * oh + y) * ow + x) * oc) * elem;
                        System.arraycopy(ia, io + src, oa, oo + dst, run);
                    }
        };
    }
}
