package dev.minnow.interpreter;

import dev.minnow.kernels.OpKernel;
import dev.minnow.model.OpCode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An op resolver holding minnow's builtin kernels (all of them by default, like TFLM's AllOpsResolver), to which
 * custom kernels can be added by name.
 */
public final class BuiltinOpResolver implements OpResolver {
    private final Map<String, Supplier<OpKernel>> kernels = new LinkedHashMap<>();

    /** A resolver with every builtin kernel minnow has. */
    public BuiltinOpResolver() {
        dev.minnow.kernels.Registry.builtins().forEach(kernels::put);
    }

    private BuiltinOpResolver(boolean empty) {}

    /** A resolver with no kernels; add the ones the model needs, as TFLM's MicroMutableOpResolver does. */
    public static BuiltinOpResolver empty() { return new BuiltinOpResolver(true); }

    /** Adds the builtin kernel for {@code opName} ("CONV_2D"); fails when minnow has none. */
    public BuiltinOpResolver addBuiltin(String opName) {
        Supplier<OpKernel> k = dev.minnow.kernels.Registry.builtins().get(opName);
        if (k == null) throw new IllegalArgumentException("minnow has no builtin kernel for " + opName);
        kernels.put(opName, k);
        return this;
    }

    /** Registers a kernel for a builtin name or, as "CUSTOM:name", for a custom op. */
    public BuiltinOpResolver add(String opName, OpKernel kernel) {
        kernels.put(opName, () -> kernel);
        return this;
    }

    public Set<String> opNames() { return Collections.unmodifiableSet(kernels.keySet()); }

    @Override public OpKernel find(OpCode code) {
        Supplier<OpKernel> s = kernels.get(code.displayName());
        return s == null ? null : s.get();
    }
}
