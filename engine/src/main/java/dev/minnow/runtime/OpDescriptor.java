package dev.minnow.runtime;

import dev.minnow.arena.FootprintRule;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything minnow knows about one operator, in one place: its name, the kernel that runs it, what TFLM's allocator
 * holds in the arena for a node of it, how much arithmetic a node does, and whether its float path calls the C math library (whose results minnow
 * reproduces from glibc). Adding an op is one kernel file and one descriptor in the op table.
 *
 * @param name      the builtin operator name ("CONV_2D") or "CUSTOM:" and the custom code ("CUSTOM:SignalRfft")
 * @param kernel    a new kernel instance per node
 * @param footprint TFLM's arena footprint of a node of this op
 * @param work      the multiply-accumulates or element operations of one eval of a node
 * @param callsLibm whether TFLM's float kernel calls libm (expf, tanhf, logf, ...)
 */
public record OpDescriptor(String name, Supplier<OpKernel> kernel, FootprintRule footprint, WorkRule work,
                           boolean callsLibm) {
    public OpDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(footprint, "footprint");
        Objects.requireNonNull(work, "work");
    }

    /** A descriptor for a user-supplied custom kernel: no arena footprint beyond the node itself. */
    public static OpDescriptor custom(String customCode, OpKernel kernel) {
        return new OpDescriptor("CUSTOM:" + customCode, () -> kernel, FootprintRule.NONE, WorkRule.OUTPUT_ELEMENTS, false);
    }
}
