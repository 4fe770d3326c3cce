package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND as TFLM's kernels, on rank-3 ([N, H, C], one spatial dimension) or rank-4
 * NHWC float32 and int8 tensors. The int32 block shape and paddings (crops) are read at invoke, and TFLM's reference
 * walk runs over the model's output shape without checking it against them: SPACE_TO_BATCH_ND fills every output
 * pixel (padding with zero bytes, as TFLM pads with SpaceToBatchParams.output_offset, which its Prepare never sets
 * and its zeroed arena holds as 0), BATCH_TO_SPACE_ND writes the output pixels some input pixel lands on, so with
 * constant parameters minnow insists that these cover the whole output.
 */
public final class SpaceBatchNd implements OpKernel {
    /** The direction of the move. */
    public enum Mode { SPACE_TO_BATCH, BATCH_TO_SPACE }

    private final Mode mode;

    /** The kernel of SPACE_TO_BATCH_ND or BATCH_TO_SPACE_ND. */
    public SpaceBatchNd(Mode mode) { this.mode = mode; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3, "NumInputs(node) != 3 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), block = KernelUtil.requiredInput(node, 1),
                pads = KernelUtil.requiredInput(node, 2), out = node.output(0);
        node.require(in.rank() >= 3 && in.rank() <= 4, "input rank %d, TFLM supports 3 and 4", in.rank());
        node.require(out.rank() >= 3 && out.rank() <= 4, "output rank %d, TFLM supports 3 and 4", out.rank());
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "Type %s not supported (TFLM's Eval takes float32 and int8).", t.name());
        node.require(in.rank() == out.rank(), "input rank %d != output rank %d", in.rank(), out.rank());
        boolean four = in.rank() == 4;
        node.require(block.dataType() == DataType.INT32 && block.numElements() >= (four ? 2 : 1),
                "block_shape must hold %d int32 values (TFLM reads int32), got %s with %d", four ? 2 : 1,
                block.dataType().name(), block.numElements());
        node.require(pads.dataType() == DataType.INT32 && pads.numElements() >= (four ? 3 : 1),
                "%s must hold %d int32 values (TFLM reads int32), got %s with %d", mode == Mode.SPACE_TO_BATCH ? "paddings" : "crops",
                four ? 3 : 1, pads.dataType().name(), pads.numElements());
        // NHWC with W = 1 for rank 3
        int[] i4 = extend(in), o4 = extend(out);
        node.require(i4[3] == o4[3], "output depth %d != input depth %d (TFLM copies input-depth runs)", o4[3], i4[3]);
        // the reference walks divide by the input batch (SPACE_TO_BATCH_ND) or the output batch (BATCH_TO_SPACE_ND)
        if (mode == Mode.SPACE_TO_BATCH) node.require(i4[0] > 0 || o4[0] == 0, "input batch 0 (TFLM divides by it)");
        else node.require(o4[0] > 0 || i4[0] == 0, "output batch 0 (TFLM divides by it)");
        int elem = t.byteSize();
        Geometry g = new Geometry(i4, o4, four, elem);
        if (block.isConstant() && pads.isConstant()) {
            String problem = g.read(block, pads);
            if (problem == null && mode == Mode.BATCH_TO_SPACE) problem = g.uncovered();
            if (problem != null) throw node.fail("%s", problem);
        }
        boolean constant = block.isConstant() && pads.isConstant();
        return () -> {
            if (!constant) {
                String problem = g.read(block, pads);
                if (problem != null) throw new KernelException(mode.name() + "_ND: " + problem);
            }
            if (mode == Mode.SPACE_TO_BATCH) g.spaceToBatch(in, out);
            else g.batchToSpace(in, out);
        };
    }

    private static int[] extend(Tensor t) {
        return t.rank() == 4 ? t.shape() : new int[] {t.dim(0), t.dim(1), 1, t.dim(2)};
    }

    /** The shapes and the parameters read at invoke: block height and width, top and left padding (or crop). */
    private static final class Geometry {
        final int[] in, out;
        final boolean four;
        final int elem;
        int bh, bw, top, left;

        Geometry(int[] in, int[] out, boolean four, int elem) {
            this.in = in;
            this.out = out;
            this.four = four;
            this.elem = elem;
        }

        /** Reads the parameters as TFLM's reference kernels do; returns why TFLM would divide by zero, or null. */
        String read(Tensor block, Tensor pads) {
            bh = block.getInt(0);
            bw = four ? block.getInt(1) : 1;
            top = pads.getInt(0);
            left = four ? pads.getInt(2) : 0;
            if (bw == 0 && (in[0] > 0 && out[0] > 0)) return "block width 0 (TFLM divides by it)";
            return null;
        }

        /** Output pixels of BATCH_TO_SPACE_ND no input pixel lands on (TFLM leaves them unwritten), or null. */
        String uncovered() {
            boolean[] hit = new boolean[out[0] * out[1] * out[2]];
            for (int ib = 0; ib < in[0]; ib++) {
                int ob = ib % out[0], spatial = ib / out[0];
                for (int y = 0; y < in[1]; y++) {
                    int oy = y * bh + spatial / bw - top;
                    if (oy < 0 || oy >= out[1]) continue;
                    for (int x = 0; x < in[2]; x++) {
                        int ox = x * bw + spatial % bw - left;
                        if (ox >= 0 && ox < out[2]) hit[(ob * out[1] + oy) * out[2] + ox] = true;
                    }
                }
            }
            for (int i = 0; i < hit.length; i++) {
                if (!hit[i]) return "block shape and crops leave output pixel " + i + " of " + hit.length + " unwritten";
            }
            return null;
        }

        void spaceToBatch(Tensor input, Tensor output) {
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset(), run = in[3] * elem;
            for (int ob = 0; ob < out[0]; ob++) {
                int ib = ob % in[0];
                int shiftW = (ob / in[0]) % bw, shiftH = (ob / in[0]) / bw;
                for (int y = 0; y < out[1]; y++) {
                    for (int x = 0; x < out[2]; x++) {
                        int dst = oo + ((ob * out[1] + y) * out[2] + x) * run;
                        int sy = y * bh + shiftH, sx = x * bw + shiftW;
                        if (sy < top || sy >= top + in[1] || sx < left || sx >= left + in[2]) {
                            java.util.Arrays.fill(oa, dst, dst + run, (byte) 0);
                        } else {
                            System.arraycopy(ia, io + ((ib * in[1] + sy - top) * in[2] + sx - left) * run, oa, dst, run);
                        }
                    }
                }
            }
        }

        void batchToSpace(Tensor input, Tensor output) {
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset(), run = in[3] * elem;
            for (int ib = 0; ib < in[0]; ib++) {
                int ob = ib % out[0], spatial = ib / out[0];
                for (int y = 0; y < in[1]; y++) {
                    int oy = y * bh + spatial / bw - top;
                    if (oy < 0 || oy >= out[1]) continue;
                    for (int x = 0; x < in[2]; x++) {
                        int ox = x * bw + spatial % bw - left;
                        if (ox < 0 || ox >= out[2]) continue;
                        System.arraycopy(ia, io + ((ib * in[1] + y) * in[2] + x) * run, oa, oo + ((ob * out[1] + oy) * out[2] + ox) * run, run);
                    }
                }
            }
        }
    }
}
