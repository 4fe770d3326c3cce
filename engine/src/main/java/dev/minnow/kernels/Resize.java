package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/** What RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR share: their arena footprint and the output geometry TFLM assumes. */
public final class Resize {
    private Resize() {}

    /** Params {bool align_corners, half_pixel_centers} (2 bytes, byte-aligned); Prepare fetches input, size, output. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(2, 1, new int[0], new int[0], new int[0], Footprints.ALL_TENSORS.of(op, g));
    }

    /**
     * The output's shape extended to 4 dimensions, after the checks TFLM's reference kernels DCHECK (rank at most 4,
     * two size entries, batch and depth matching the input's) and the ones that keep every write inside the output
     * and every output element written: the constant size must equal the output's height and width.
     */
    static int[] outputShape(NodeContext node, Tensor in, Tensor size, Tensor out) {
        node.require(size.numElements() == 2, "the size tensor has %d entries, expected [height, width]", size.numElements());
        node.require(out.rank() <= 4, "output rank %d exceeds 4", out.rank());
        int[] o4 = {1, 1, 1, 1};
        for (int i = 0; i < out.rank(); i++) o4[4 - out.rank() + i] = out.dim(i);
        node.require(o4[0] == in.dim(0), "output batch %d != input batch %d", o4[0], in.dim(0));
        node.require(o4[3] == in.dim(3), "output depth %d != input depth %d", o4[3], in.dim(3));
        int h = size.getInt(0), w = size.getInt(1);
        node.require(h == o4[1] && w == o4[2], "size [%d, %d] != the output's height and width [%d, %d]", h, w, o4[1], o4[2]);
        long count = (long) o4[0] * o4[1] * o4[2] * o4[3];
        node.require(count == 0 || in.numElements() > 0, "an empty input cannot fill %d output elements", count);
        return o4;
    }
}
