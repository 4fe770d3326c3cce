package dev.minnow.kernels.signal;

import dev.minnow.kernels.KernelUtil;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferException;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

import java.util.List;

/** What the Signal-library kernels (SignalWindow, SignalRfft, ...) share: option parsing and tensor checks. */
final class SignalSupport {
    private SignalSupport() {}

    /**
     * The node's custom options as a FlexBuffers map holding exactly {@code keys} (TFLM reads them by position in
     * sorted key order, so a missing or extra key would shift every value it reads).
     */
    static FlexBufferMap options(NodeContext node, String... keys) {
        FlexBufferMap map;
        try {
            map = FlexBufferMap.parse(node.customOptions());
        } catch (FlexBufferException e) {
            throw node.fail("%s", e.getMessage());
        }
        node.require(map.keys().equals(new java.util.LinkedHashSet<>(List.of(keys))),
                "custom options have keys %s, expected %s", map.keys(), List.of(keys));
        return map;
    }

    /** An int option, failing with the node's name when it is not an int32. */
    static int intOption(NodeContext node, FlexBufferMap map, String key) {
        try {
            return map.getInt(key);
        } catch (FlexBufferException e) {
            throw node.fail("%s", e.getMessage());
        }
    }

    static boolean boolOption(NodeContext node, FlexBufferMap map, String key) {
        try {
            return map.getBool(key);
        } catch (FlexBufferException e) {
            throw node.fail("%s", e.getMessage());
        }
    }

    /** Fails unless the node has exactly these input and output counts. */
    static void counts(NodeContext node, int inputs, int outputs) {
        node.require(node.inputCount() == inputs, "has %d inputs, needs %d", node.inputCount(), inputs);
        node.require(node.outputCount() == outputs, "has %d outputs, needs %d", node.outputCount(), outputs);
    }

    /** A present tensor of the given type and rank (rank < 0: any rank of at least 1). */
    static Tensor input(NodeContext node, int i, DataType type, int rank, String role) {
        return check(node, KernelUtil.requiredInput(node, i), type, rank, role);
    }

    static Tensor output(NodeContext node, int i, DataType type, int rank, String role) {
        return check(node, node.output(i), type, rank, role);
    }

    private static Tensor check(NodeContext node, Tensor t, DataType type, int rank, String role) {
        KernelUtil.requireType(node, t, type, role);
        if (rank < 0) node.require(t.rank() >= 1, "%s has rank 0, needs at least 1", role);
        else node.require(t.rank() == rank, "%s has rank %d, needs %d", role, t.rank(), rank);
        return t;
    }
}
