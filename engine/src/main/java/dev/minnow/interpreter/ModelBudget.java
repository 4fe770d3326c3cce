package dev.minnow.interpreter;

import dev.minnow.BudgetExceededException;
import dev.minnow.model.Model;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

/**
 * What loading and allocating one model may cost, for models from untrusted sources: the model's bytes, the number of
 * subgraphs, operators (all subgraphs), tensors and operator tensor references, the arena (checked per tensor before
 * any kernel prepares, then for the whole plan before the arena is allocated) and the heap kernels take in prepare for
 * tables sized by model numbers. Exceeding a limit is a {@link BudgetExceededException} naming the number and the
 * limit. The defaults admit every model of the conformance corpus many times over while keeping any model's cost
 * below about 64 MiB of arena plus 64 MiB of prepare-time heap; {@link #UNLIMITED} turns the budget off.
 *
 * @param maxModelBytes       bytes of the model's flatbuffer
 * @param maxSubgraphs        subgraphs of the model
 * @param maxOperators        operators of all subgraphs
 * @param maxTensors          tensors of all subgraphs
 * @param maxTensorReferences input, output and intermediate tensor indices of all operators
 * @param maxPlannedBuffers   buffers the arena planner places (tensors plus scratch requests); TFLM's greedy planner,
 *                            whose placements minnow reproduces, takes time quadratic in their number
 * @param maxArenaBytes       bytes of the tensor arena (and of any one non-constant tensor)
 * @param maxPrepareHeapBytes heap bytes all kernels together may take in prepare for tables sized by the model
 * @param maxLoopIterations   iterations one WHILE node may run in one invoke (TFLM loops while the model says so)
 */
public record ModelBudget(long maxModelBytes, int maxSubgraphs, int maxOperators, int maxTensors, long maxTensorReferences,
                          int maxPlannedBuffers, long maxArenaBytes, long maxPrepareHeapBytes,
                          long maxLoopIterations) {
    /** The default budget. */
    public static final ModelBudget DEFAULT = new ModelBudget(256L << 20, 1024, 20_000, 50_000, 1_000_000, 20_000,
            64L << 20, 64L << 20, 10_000_000);

    /** No limits beyond what Java's arrays allow. */
    public static final ModelBudget UNLIMITED = new ModelBudget(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    /** Checks that every limit is non-negative (and at least one subgraph is allowed). */
    public ModelBudget {
        if (maxModelBytes < 0 || maxSubgraphs < 1 || maxOperators < 0 || maxTensors < 0 || maxTensorReferences < 0
                || maxPlannedBuffers < 0 || maxArenaBytes < 0 || maxPrepareHeapBytes < 0 || maxLoopIterations < 0) {
            throw new IllegalArgumentException("budget limits must be >= 0 (subgraphs >= 1): " + this);
        }
    }

    /** This budget with another arena limit. */
    public ModelBudget withMaxArenaBytes(long bytes) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers, bytes, maxPrepareHeapBytes, maxLoopIterations);
    }

    /** This budget with another WHILE iteration limit. */
    public ModelBudget withMaxLoopIterations(long iterations) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers,
                maxArenaBytes, maxPrepareHeapBytes, iterations);
    }

    /** This budget with another prepare-time heap limit. */
    public ModelBudget withMaxPrepareHeapBytes(long bytes) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers, maxArenaBytes, bytes, maxLoopIterations);
    }

    /**
     * Checks what the model declares before any kernel runs: its size and counts, and that no non-constant tensor is
     * larger than the arena may be ({@code declaredArena} when the options declare one, else the budget's limit).
     */
    void checkModel(Model model, long declaredArena) {
        require("model bytes", model.sizeBytes(), maxModelBytes, "the model");
        int subgraphs = model.subgraphs().size();
        require("subgraphs", subgraphs, maxSubgraphs, "the model");
        long operators = 0, tensors = 0, references = 0;
        for (SubgraphInfo g : model.subgraphs()) {
            operators += g.operators().size();
            tensors += g.tensors().size();
            for (var op : g.operators()) references += op.inputCount() + op.outputCount() + op.intermediates().length;
        }
        require("operators", operators, maxOperators, "the model's " + subgraphs + " subgraphs");
        require("tensors", tensors, maxTensors, "the model's " + subgraphs + " subgraphs");
        require("operator tensor references", references, maxTensorReferences, "the model's " + operators + " operators");
        long arenaLimit = declaredArena > 0 ? Math.min(declaredArena, maxArenaBytes) : maxArenaBytes;
        for (SubgraphInfo g : model.subgraphs()) {
            for (TensorInfo t : g.tensors()) {
                if (t.isConstant()) continue;
                long bytes = t.byteSize();
                if (bytes <= arenaLimit) continue;
                String what = "tensor #" + t.index() + " '" + t.name() + "'" + (g.index() == 0 ? "" : " of subgraph " + g.index());
                if (declaredArena > 0 && declaredArena <= maxArenaBytes) {
                    throw new dev.minnow.arena.ArenaTooSmallException(bytes, declaredArena);
                }
                throw new BudgetExceededException("arena bytes", bytes, maxArenaBytes, what);
            }
        }
    }

    /** Checks the number of buffers the planner would place: every tensor plus every scratch request. */
    void checkPlannedBuffers(Model model, dev.minnow.arena.NodeFootprint[][] footprints) {
        long buffers = 0;
        for (SubgraphInfo g : model.subgraphs()) buffers += g.tensors().size();
        for (var sg : footprints) for (var n : sg) if (n != null) buffers += n.scratchBytes().length;
        require("planned buffers", buffers, maxPlannedBuffers, "the arena plan (tensors and scratch requests)");
    }

    /** Checks the planned arena before it is allocated. */
    void checkArena(long bytes) { require("arena bytes", bytes, maxArenaBytes, "the planned tensor arena"); }

    private static void require(String resource, long n, long limit, String what) {
        if (n > limit) throw new BudgetExceededException(resource, n, limit, what);
    }
}
