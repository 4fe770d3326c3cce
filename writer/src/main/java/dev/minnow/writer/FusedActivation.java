package dev.minnow.writer;

/** The schema's fused activation functions, with their {@code ActivationFunctionType} codes. */
public enum FusedActivation {
    NONE(0), RELU(1), RELU_N1_TO_1(2), RELU6(3), TANH(4), SIGN_BIT(5);

    private final int code;

    FusedActivation(int code) { this.code = code; }

    /** The schema code written into options ({@code fusedActivationFunction}). */
    public int code() { return code; }

    /** The activation with schema code {@code code}. */
    public static FusedActivation ofCode(int code) {
        for (FusedActivation a : values()) if (a.code == code) return a;
        throw new IllegalArgumentException("unknown fused activation code " + code + " (0..5)");
    }
}
