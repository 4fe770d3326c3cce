package dev.minnow.arena;

import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * TFLM's arena numbers for a model on one target, computed without running it: the bytes
 * {@code arena_used_bytes()} reports after AllocateTensors, the smallest {@code kTensorArenaSize} AllocateTensors
 * accepts, the head (planned activations and scratch) and tail (persistent) split with a per-category breakdown, and
 * every planned tensor's place and lifetime.
 */
public record ArenaReport(Target target, long usedBytes, long minimumArenaBytes, long headBytes, long tailBytes,
                          long tempBytes, TflmArena.Breakdown breakdown, List<PlannedTensor> tensors) {

    /** A tensor of the planned head: offset and size in bytes, alive from scope {@code firstUse} to {@code lastUse}. */
    public record PlannedTensor(int index, String name, int offset, int bytes, int firstUse, int lastUse) {}

    public ArenaReport {
        tensors = List.copyOf(tensors);
    }

    /** The report of a simulated arena (see {@code Interpreter.arenaReport()} for a model's). */
    public static ArenaReport of(TflmArena arena) {
        Target target = arena.target();
        long used = arena.usedBytes();
        if (used < 0) throw new ArenaPlanException("model cannot be allocated in any arena (simulation failed)");
        TflmArena.Breakdown b = arena.breakdown();
        MemoryPlan plan = arena.plan();
        SubgraphInfo g = arena.graph();
        List<PlannedTensor> planned = new ArrayList<>();
        for (TensorInfo t : g.tensors()) {
            if (plan.isPlanned(t.index())) {
                planned.add(new PlannedTensor(t.index(), t.name(), plan.tensorOffset(t.index()), plan.tensorBytes(t.index()),
                        plan.firstUse(t.index()), plan.lastUse(t.index())));
            }
        }
        return new ArenaReport(target, used, arena.minimumArenaBytes(), b.head(), b.tail(), arena.peakTempBytes(), b, planned);
    }
}
