package dev.minnow.writer;

import java.util.Objects;

/**
 * One operator to write into a subgraph.
 *
 * @param builtinCode   the schema's BuiltinOperator code (e.g. 3 for CONV_2D; 32 for CUSTOM)
 * @param customCode    the custom op's name for CUSTOM operators, null otherwise
 * @param version       the operator version recorded in its operator code
 * @param inputs        input tensor indices, -1 for an omitted optional input
 * @param outputs       output tensor indices
 * @param intermediates intermediate tensor indices (the LSTM's), may be empty
 * @param options       builtin options ({@link OptionsTable#NONE} for none)
 * @param customOptions raw custom options (flexbuffer), empty for none
 * @param options2      {@code builtin_options_2} ({@link OptionsTable#NONE} for none)
 */
public record OperatorSpec(int builtinCode, String customCode, int version, int[] inputs, int[] outputs,
                           int[] intermediates, OptionsTable options, byte[] customOptions, OptionsTable options2) {
    public OperatorSpec {
        if (builtinCode < 0) throw new IllegalArgumentException("negative builtin code " + builtinCode);
        if (version < 1) throw new IllegalArgumentException("operator version " + version + " < 1");
        inputs = inputs.clone();
        outputs = outputs.clone();
        intermediates = intermediates == null ? new int[0] : intermediates.clone();
        options = Objects.requireNonNullElse(options, OptionsTable.NONE);
        customOptions = customOptions == null ? new byte[0] : customOptions.clone();
        options2 = Objects.requireNonNullElse(options2, OptionsTable.NONE);
    }

    /** A builtin operator by schema name ("FULLY_CONNECTED") with its options. */
    public static OperatorSpec builtin(String name, int version, int[] inputs, int[] outputs, OptionsTable options) {
        return new OperatorSpec(builtinCode(name), null, version, inputs, outputs, new int[0], options, null, null);
    }

    /** The same operator with intermediates. */
    public OperatorSpec withIntermediates(int... tensors) {
        return new OperatorSpec(builtinCode, customCode, version, inputs, outputs, tensors, options, customOptions, options2);
    }

    @Override public int[] inputs() { return inputs.clone(); }
    @Override public int[] outputs() { return outputs.clone(); }
    @Override public int[] intermediates() { return intermediates.clone(); }
    @Override public byte[] customOptions() { return customOptions.clone(); }

    /** The schema name of the builtin code ("CONV_2D"), "BUILTIN_n" for codes the schema does not name. */
    public String builtinName() {
        String[] names = dev.minnow.schema.tflite.BuiltinOperator.names;
        return builtinCode < names.length && !names[builtinCode].isEmpty() ? names[builtinCode] : "BUILTIN_" + builtinCode;
    }

    /** The schema code of a builtin operator name ("CONV_2D" -> 3). */
    public static int builtinCode(String name) {
        String[] names = dev.minnow.schema.tflite.BuiltinOperator.names;
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        throw new IllegalArgumentException("unknown builtin operator '" + name + "'");
    }
}
