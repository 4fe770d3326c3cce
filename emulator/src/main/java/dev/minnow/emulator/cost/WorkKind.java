package dev.minnow.emulator.cost;

/** The kinds of work the cost model prices separately, each with its own cycles per unit. */
public enum WorkKind {
    /** Integer MACs of FULLY_CONNECTED, SVDF, UNIDIRECTIONAL_SEQUENCE_LSTM and BATCH_MATMUL. */
    FC_MAC("fc MAC"),
    /** Integer MACs of CONV_2D with a filter larger than 1x1, and of TRANSPOSE_CONV. */
    CONV_MAC("conv MAC"),
    /** Integer MACs of 1x1 (pointwise) CONV_2D. */
    POINTWISE_MAC("1x1 conv MAC"),
    /** Integer MACs of DEPTHWISE_CONV_2D. */
    DEPTHWISE_MAC("depthwise MAC"),
    /** MACs of any op with float32 activations. */
    FLOAT_MAC("float MAC"),
    /** Element operations of every op (see {@link dev.minnow.runtime.WorkCount}). */
    ELEMENT_OP("element op"),
    /** One per operator: dispatch, parameter set-up, the kernel's fixed cost. */
    LAYER("layer"),
    /** One per invoke: the interpreter's fixed cost. */
    INVOKE("invoke");

    private final String label;

    WorkKind(String label) { this.label = label; }

    /** Short label for reports, e.g. "1x1 conv MAC". */
    public String label() { return label; }
}
