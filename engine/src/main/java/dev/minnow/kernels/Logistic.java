package dev.minnow.kernels;

import dev.minnow.model.DataType;

/** Logistic (see {@link SigmoidLike}). */
public final class Logistic extends SigmoidLike {
    public Logistic() { super(false); }

    @Override
    public PreparedOp prepare(NodeContext node) {
        if (node.inputCount() == 1 && node.outputCount() == 1 && node.input(0) != null
                && node.input(0).dataType() == DataType.INT16) {
            // logistic_common.cc: unless the input scale is exactly 2^-12, the table multiplier is scale * 4096 * 3,
            // doubled while it is <= 32767 / 2; TFLITE_DCHECK_LE(data->input_multiplier, 32767) then aborts TFLM's
            // debug build for input scales above 32767 / 12288 (about 2.667), where no doubling happens.
            float scale = node.input(0).scale();
            double multiplier = (double) scale * 4096.0 * 3.0;
            node.require((int) multiplier <= 32767,
                    "data->input_multiplier <= 32767 was not true (int16 input scale %s gives multiplier %d)",
                    scale, (int) multiplier);
        }
        return super.prepare(node);
    }
}
