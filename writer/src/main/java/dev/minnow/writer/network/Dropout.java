package dev.minnow.writer.network;

/** Keras {@code Dropout}: drops units with probability {@code rate} while training, the identity at inference. */
public record Dropout(float rate) implements Layer {
    public Dropout {
        if (!(rate >= 0f && rate < 1f)) throw new IllegalArgumentException("Dropout rate " + rate + " must be in [0, 1)");
    }

    @Override public int[] outputShape(int[] in) { return in.clone(); }
}
