package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * MIRROR_PAD as TFLM's kernel: every output element reads the input element TFLM's GetInputDimension maps it to,
 * dimension by dimension, over the output's own shape. REFLECT skips the edge element, SYMMETRIC (and an unknown or
 * absent mode) repeats it. The paddings (int32 or int64, read at invoke; another type counts as all zero, as TFLM
 * leaves them 0) are {@code [rank, 2]} pairs read at flat positions 2d and 2d + 1; TFLM checks neither their signs
 * nor the output shape, so minnow checks only that every read stays inside the input (at allocation when the
 * paddings are constant). float32 and int8 (TFLM's Eval fails on the other types).
 */
public final class MirrorPad implements OpKernel {
    /** schema MirrorPadMode.REFLECT: the only mode TFLM maps to an offset of 1. */
    private static final int REFLECT = 0;

    /** TfLiteMirrorPaddingParams; OpDataMirrorPad (5 ints); two scratch buffers of one int per input dimension. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        int rank = g.tensor(op.input(0)).rank();
        return new NodeFootprint(4, 4, new int[] {20}, new int[0], new int[] {4 * rank, 4 * rank}, Footprints.ALL_TENSORS.of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        Tensor in = KernelUtil.requiredInput(node, 0), paddings = KernelUtil.requiredInput(node, 1), out = node.output(0);
        int rank = in.rank();
        node.require(paddings.rank() == 2, "NumDimensions(padding_matrix) != 2 (%d)", paddings.rank());
        node.require(paddings.dim(0) == rank, "SizeOfDimension(padding_matrix, 0) != NumDimensions(input) (%d != %d)",
                paddings.dim(0), rank);
        DataType t = out.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "MIRROR_PAD supports float32 and int8 outputs, got %s "
                + "(TFLM's Eval fails)", t.name());
        node.require(in.dataType() == t, "input type %s != output type %s", in.dataType().name(), t.name());
        node.require(out.rank() == rank, "output rank %d != input rank %d", out.rank(), rank);
        node.require(paddings.numElements() >= 2 * rank || !isIntegral(paddings),
                "paddings hold %d values, TFLM reads %d", paddings.numElements(), 2 * rank);
        Options.MirrorPad opts = Options.MirrorPad.of(node.options());
        int offset = node.options().isPresent() && opts.mode() == REFLECT ? 1 : 0;
        int[] inDims = in.shape(), outDims = out.shape();
        int[] inStrides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { inStrides[d] = s; s *= inDims[d]; }
        // map[d][o]: the input coordinate along d of output coordinate o, the whole walk's reads being their sums
        int[][] map = new int[rank][];
        for (int d = 0; d < rank; d++) map[d] = new int[outDims[d]];
        int n = out.numElements(), elem = t.byteSize(), inCount = in.numElements();
        if (paddings.isConstant()) {
            String problem = buildMaps(paddings, inDims, inStrides, offset, map, n, inCount);
            if (problem != null) throw node.fail("%s", problem);
        }
        int[] idx = new int[rank];
        return () -> {
            if (!paddings.isConstant()) {
                String problem = buildMaps(paddings, inDims, inStrides, offset, map, n, inCount);
                if (problem != null) throw new KernelException("MIRROR_PAD: " + problem);
            }
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            java.util.Arrays.fill(idx, 0);
            for (int i = 0; i < n; i++) {
                int src = 0;
                for (int d = 0; d < rank; d++) src += map[d][idx[d]] * inStrides[d];
                System.arraycopy(ia, io + src * elem, oa, oo + i * elem, elem);
                for (int d = rank - 1; d >= 0; d--) {
                    if (++idx[d] < outDims[d]) break;
                    idx[d] = 0;
                }
            }
        };
    }

    private static boolean isIntegral(Tensor paddings) {
        return paddings.dataType() == DataType.INT32 || paddings.dataType() == DataType.INT64;
    }

    /**
     * Fills the per-dimension coordinate maps from the paddings; returns why a read would leave the input, or null.
     * The flat read is a sum of one term per dimension, so its extremes are the sums of each map's extremes.
     */
    private static String buildMaps(Tensor paddings, int[] inDims, int[] inStrides, int offset, int[][] map, int n, int inCount) {
        long lowest = 0, highest = 0;
        for (int d = 0; d < inDims.length; d++) {
            // GetPadding converts to int64; GetInputDimension takes ints
            int left = isIntegral(paddings) ? (int) paddings.getIntegral(2 * d) : 0;
            int right = isIntegral(paddings) ? (int) paddings.getIntegral(2 * d + 1) : 0;
            int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
            for (int o = 0; o < map[d].length; o++) {
                int v = inputCoordinate(o, left, right, inDims[d], offset);
                map[d][o] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (map[d].length > 0) {
                lowest += (long) min * inStrides[d];
                highest += (long) max * inStrides[d];
            }
        }
        if (n > 0 && (lowest < 0 || highest >= inCount)) {
            return "paddings make TFLM read input element " + (lowest < 0 ? lowest : highest) + " of " + inCount;
        }
        return null;
    }

    /** TFLM's GetInputDimension: the input coordinate an output coordinate mirrors. */
    private static int inputCoordinate(int padded, int left, int right, int size, int offset) {
        if (padded < left) {
            int original = left + offset - 1;
            return original - Math.min(padded, original - offset);
        }
        padded -= left;
        if (padded >= size) {
            padded -= size;
            int original = size - (1 + offset);
            return original - Math.min(padded, original);
        }
        return padded;
    }
}
