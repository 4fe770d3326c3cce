package dev.minnow.kernels;

import dev.minnow.arena.FootprintRule;
import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Building blocks of the ops' TFLM arena footprints ({@link NodeFootprint}): the parsed builtin params struct, the
 * OpData a kernel's Init allocates, and the temporary tensors its Prepare fetches. Sizes follow the structs' C
 * layouts on each target; kernels with larger footprints (per-channel arrays, scratch) declare them beside their code.
 */
public final class Footprints {
    private Footprints() {}

    /** The tensors whose temporary TfLiteTensors a kernel's Prepare fetches, in order (see {@link NodeFootprint}). */
    @FunctionalInterface
    public interface TempRule {
        int[] of(OperatorInfo op, SubgraphInfo g);
    }

    /** Prepare fetches every input, then every output (TFLM's most common pattern). */
    public static final TempRule ALL_TENSORS = (op, g) -> {
        List<Integer> list = new ArrayList<>();
        for (int i : op.inputs()) add(list, i);
        for (int o : op.outputs()) add(list, o);
        return ints(list);
    };

    /** The kernel has no Prepare, or its Prepare fetches no tensor. */
    public static final TempRule NO_TENSORS = (op, g) -> new int[0];

    /** A params struct of {@code params} bytes (4-aligned) and an OpData of {@code opData} bytes; Prepare fetches every tensor. */
    public static FootprintRule structs(int params, int opData) { return structs(params, opData, ALL_TENSORS); }

    /** As {@link #structs(int, int)} with Prepare's own temporaries. */
    public static FootprintRule structs(int params, int opData, TempRule temps) {
        return (op, g, t) -> new NodeFootprint(params, 4, opData > 0 ? new int[] {opData} : new int[0], new int[0], new int[0],
                temps.of(op, g));
    }

    /** As {@link #structs(int, int, TempRule)} with an OpData whose size depends on the target's pointer size. */
    public static FootprintRule structs(int params, int opData32, int opData64, TempRule temps) {
        return (op, g, t) -> new NodeFootprint(params, 4, new int[] {t == Target.HOST64 ? opData64 : opData32}, new int[0],
                new int[0], temps.of(op, g));
    }

    /** Prepare fetches the given tensors of the node: input indices, or {@code OUTPUT} for output 0. */
    public static TempRule fetches(int... which) {
        return (op, g) -> {
            List<Integer> list = new ArrayList<>();
            for (int w : which) add(list, w == OUTPUT ? op.output(0) : input(op, w));
            return ints(list);
        };
    }

    /** Marks output 0 in {@link #fetches}. */
    public static final int OUTPUT = -100;

    /** Tensor index of input {@code i}, or -1 when the node has no such input. */
    public static int input(OperatorInfo op, int i) { return i < op.inputCount() ? op.input(i) : -1; }

    /** Whether input {@code i} exists and is not float32 (the quantized paths of conv-like kernels). */
    public static boolean quantizedInput(OperatorInfo op, SubgraphInfo g, int i) {
        int t = input(op, i);
        return t >= 0 && g.tensor(t).type() != DataType.FLOAT32;
    }

    /** Appends the tensors that exist (index >= 0). */
    public static void add(List<Integer> list, int... tensors) {
        for (int t : tensors) if (t >= 0) list.add(t);
    }

    /** The list as an array. */
    public static int[] ints(List<Integer> list) { return list.stream().mapToInt(Integer::intValue).toArray(); }
}
