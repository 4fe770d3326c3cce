package dev.minnow.interpreter;

import dev.minnow.kernels.OpKernel;
import dev.minnow.model.OpCode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An op resolver holding minnow's kernels (by default every builtin and every custom op minnow implements, like
 * TFLM's AllOpsResolver plus the Signal library's registrations), to which other custom kernels can be added by
 * name. Custom ops are keyed "CUSTOM:code", the code being the operator code's {@code custom_code}.
 */
public final class BuiltinOpResolver implements OpResolver {
    private final Map<String, Supplier<OpKernel>> kernels = new LinkedHashMap<>();

    /** A resolver with every builtin and custom kernel minnow has. */
    public BuiltinOpResolver() {
        dev.minnow.kernels.Registry.builtins().forEach(kernels::put);
        dev.minnow.kernels.Registry.customs().forEach((code, k) -> kernels.put(CUSTOM_PREFIX + code, k));
    }

    private static final String CUSTOM_PREFIX = "CUSTOM:";

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

    /**
     * Adds minnow's kernel for the custom op {@code customCode} ("SignalRfft"), as TFLM's
     * {@code MicroMutableOpResolver::AddCustom}; fails when minnow has none.
     */
    public BuiltinOpResolver addCustom(String customCode) {
        Supplier<OpKernel> k = dev.minnow.kernels.Registry.customs().get(customCode);
        if (k == null) throw new IllegalArgumentException("minnow has no kernel for custom op " + customCode);
        kernels.put(CUSTOM_PREFIX + customCode, k);
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
