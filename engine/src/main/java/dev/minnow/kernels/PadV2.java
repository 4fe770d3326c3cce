package dev.minnow.kernels;

/** PADV2: PAD with its third input as the constant pad value (see {@link Pad}). */
public final class PadV2 extends Pad {
}
