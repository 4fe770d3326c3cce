package dev.minnow.writer.network;

/** A layer's activation, as Keras names them ({@code "linear"}, {@code "relu"}, ...). */
public enum Activation {
    LINEAR, RELU, RELU6, TANH, SIGMOID;

    /** The Keras name: "linear", "relu", "relu6", "tanh", "sigmoid". */
    public String kerasName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The activation Keras calls {@code name}. */
    public static Activation fromKeras(String name) {
        for (Activation a : values()) if (a.kerasName().equals(name)) return a;
        throw new IllegalArgumentException("unknown activation '" + name + "' (linear, relu, relu6, tanh, sigmoid)");
    }
}
