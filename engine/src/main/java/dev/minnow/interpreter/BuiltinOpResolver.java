package dev.minnow.interpreter;

import dev.minnow.arena.FootprintRule;
import dev.minnow.model.OpCode;
import dev.minnow.ops.Ops;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.WorkRule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An op resolver holding minnow's kernels (by default every builtin and every custom op minnow implements, like
 * TFLM's AllOpsResolver plus the Signal library's registrations), to which other custom kernels can be added by
 * name. Custom ops are keyed "CUSTOM:code", the code being the operator code's {@code custom_code}.
 */
public final class BuiltinOpResolver implements OpResolver {
    private static final String CUSTOM_PREFIX = "CUSTOM:";
    private final Map<String, OpDescriptor> ops = new LinkedHashMap<>();

    /** A resolver with every builtin and custom kernel minnow has. */
    public BuiltinOpResolver() { ops.putAll(Ops.all()); }

    private BuiltinOpResolver(boolean empty) {}

    /** A resolver with no kernels; add the ones the model needs, as TFLM's MicroMutableOpResolver does. */
    public static BuiltinOpResolver empty() { return new BuiltinOpResolver(true); }

    /** Adds the builtin kernel for {@code opName} ("CONV_2D"); fails when minnow has none. */
    public BuiltinOpResolver addBuiltin(String opName) {
        OpDescriptor d = Ops.all().get(opName);
        if (d == null || opName.startsWith(CUSTOM_PREFIX)) throw new IllegalArgumentException("minnow has no builtin kernel for " + opName);
        ops.put(opName, d);
        return this;
    }

    /**
     * Adds minnow's kernel for the custom op {@code customCode} ("SignalRfft"), as TFLM's
     * {@code MicroMutableOpResolver::AddCustom}; fails when minnow has none.
     */
    public BuiltinOpResolver addCustom(String customCode) {
        OpDescriptor d = Ops.all().get(CUSTOM_PREFIX + customCode);
        if (d == null) throw new IllegalArgumentException("minnow has no kernel for custom op " + customCode);
        ops.put(CUSTOM_PREFIX + customCode, d);
        return this;
    }

    /**
     * Registers a kernel of your own for a builtin name or, as "CUSTOM:name", for a custom op. Its arena footprint
     * is taken as nothing beyond the node itself, and its work as one operation per output element.
     */
    public BuiltinOpResolver add(String opName, OpKernel kernel) {
        ops.put(opName, new OpDescriptor(opName, () -> kernel, FootprintRule.NONE, WorkRule.OUTPUT_ELEMENTS, false));
        return this;
    }

    /** Registers a descriptor (kernel, footprint, work) under its name. */
    public BuiltinOpResolver add(OpDescriptor descriptor) {
        ops.put(descriptor.name(), descriptor);
        return this;
    }

    /** The names of the ops this resolver resolves. */
    public Set<String> opNames() { return Collections.unmodifiableSet(ops.keySet()); }

    @Override public OpDescriptor find(OpCode code) { return ops.get(code.displayName()); }
}
