package dev.minnow.interpreter;

import dev.minnow.BudgetExceededException;
import dev.minnow.model.Model;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

/**
 * What loading, allocating and running one model may cost, for models from untrusted sources: the model's bytes, the
 * number of subgraphs, operators (all subgraphs), tensors, operator tensor references and planned buffers, the arena
 * (checked per tensor before any kernel prepares, then for the whole plan before the arena is allocated), the heap
 * kernels take in prepare for tables sized by model numbers, and the WHILE iterations of one invoke (all loops,
 * nested ones included). Exceeding a limit is a {@link BudgetExceededException} naming the number, the limit and the
 * option that lifts it.
 *
 * <p>{@link #DEFAULT} scales the arena, prepare-heap and planned-buffer limits with the model ({@link Scaling}: a floor
 * plus a multiple of the model's bytes, never above the fixed caps), so a 1 KB hostile file costs at most about 3 MiB
 * and a fraction of a second of planning, while every
 * model of the conformance corpus fits with room to spare. A caller whose trusted model needs more says so:
 * {@link #TRUSTED} (fixed caps, no scaling), {@link #UNLIMITED}, or a wither on either.
 *
 * @param maxModelBytes       bytes of the model's flatbuffer
 * @param maxSubgraphs        subgraphs of the model
 * @param maxOperators        operators of all subgraphs
 * @param maxTensors          tensors of all subgraphs
 * @param maxTensorReferences input, output and intermediate tensor indices of all operators
 * @param maxPlannedBuffers   buffers the arena planner places (tensors plus scratch requests); TFLM's greedy
 *                            placement takes at most n(n-1)/2 steps for n of them
 * @param maxArenaBytes       bytes of the tensor arena (and of any one non-constant tensor)
 * @param maxPrepareHeapBytes heap bytes all kernels together may take in prepare for tables sized by the model
 * @param maxLoopIterations   WHILE iterations one invoke may run, summed over all loops and nesting levels
 * @param scaling             how the arena and prepare-heap limits shrink for small models, or null for fixed limits
 */
public record ModelBudget(long maxModelBytes, int maxSubgraphs, int maxOperators, int maxTensors, long maxTensorReferences,
                          int maxPlannedBuffers, long maxArenaBytes, long maxPrepareHeapBytes,
                          long maxLoopIterations, Scaling scaling) {

    /**
     * Limits proportional to the model: {@code min(cap, floor + bytesPerModelByte * modelBytes)} for the arena and the
     * prepare-time heap, {@code min(cap, plannedBufferFloor + modelBytes / modelBytesPerPlannedBuffer)} for the buffers
     * the arena planner places (TFLM's greedy placement, which minnow reproduces, takes time quadratic in them). The
     * arena limit scales only when the interpreter sizes the arena itself; a declared arena size is the caller's own
     * choice of cost (still under the cap).
     *
     * @param arenaFloorBytes            arena bytes any model may use
     * @param prepareHeapFloorBytes      prepare-time heap bytes any model may use
     * @param bytesPerModelByte          further arena and heap bytes per byte of the model file
     * @param plannedBufferFloor         planned buffers any model may have
     * @param modelBytesPerPlannedBuffer model bytes that earn one further planned buffer
     */
    public record Scaling(long arenaFloorBytes, long prepareHeapFloorBytes, long bytesPerModelByte,
                          int plannedBufferFloor, long modelBytesPerPlannedBuffer) {
        /** Checks the figures are non-negative (and the bytes per planned buffer positive). */
        public Scaling {
            if (arenaFloorBytes < 0 || prepareHeapFloorBytes < 0 || bytesPerModelByte < 0 || plannedBufferFloor < 0
                    || modelBytesPerPlannedBuffer < 1) {
                throw new IllegalArgumentException("scaling figures must be >= 0 (bytes per planned buffer >= 1): " + arenaFloorBytes
                        + ", " + prepareHeapFloorBytes + ", " + bytesPerModelByte + ", " + plannedBufferFloor + ", " + modelBytesPerPlannedBuffer);
            }
        }

        /** {@code min(cap, floor + bytesPerModelByte * modelBytes)}, without overflow. */
        long limit(long floor, long cap, long modelBytes) {
            long perModel = modelBytes > 0 && bytesPerModelByte > Long.MAX_VALUE / modelBytes ? Long.MAX_VALUE : bytesPerModelByte * modelBytes;
            long scaled = perModel > Long.MAX_VALUE - floor ? Long.MAX_VALUE : floor + perModel;
            return Math.min(cap, scaled);
        }

        /** {@code min(cap, plannedBufferFloor + modelBytes / modelBytesPerPlannedBuffer)}. */
        int plannedBuffers(int cap, long modelBytes) {
            return (int) Math.min(cap, plannedBufferFloor + Math.max(0, modelBytes) / modelBytesPerPlannedBuffer);
        }
    }

    /**
     * The default scaling: 2 MiB of arena and 1 MiB of prepare-time heap for any model, plus 64 bytes of each per
     * byte of the model; 1,000 planned buffers plus one per 16 model bytes. Measured on the conformance corpus (1,201
     * allocatable models): no model under 10 KB needs more than 50 KB of arena (tflm simple_add, 976 bytes) or 32 KB of
     * prepare-time heap (seanet strided_slice33, 1,128 bytes), the largest arena-to-file ratio is 50 (all such models
     * are under the floor anyway), the real models need at most 0.6 arena bytes per model byte (MobileNet v2: 2.45 MB
     * for a 3.98 MB file), and every model has at least 96 file bytes per tensor (at most 212 tensors, MobileNet v2).
     * A 1 KB file so gets at most 2.06 MiB of arena, 1.06 MiB of tables and 1,064 planned buffers (566,000 steps of
     * the quadratic placement).
     */
    public static final Scaling DEFAULT_SCALING = new Scaling(2L << 20, 1L << 20, 64, 1_000, 16);

    /**
     * Fixed limits for trusted models: 256 MiB model, 1,024 subgraphs, 20,000 operators, 50,000 tensors, 1,000,000
     * tensor references, 20,000 planned buffers, 64 MiB arena, 64 MiB prepare-time heap, 10,000,000 WHILE iterations
     * per invoke.
     */
    public static final ModelBudget TRUSTED = new ModelBudget(256L << 20, 1024, 20_000, 50_000, 1_000_000, 20_000,
            64L << 20, 64L << 20, 10_000_000, null);

    /** The default budget: {@link #TRUSTED}'s caps with the arena, prepare heap and planned buffers scaled by {@link #DEFAULT_SCALING}. */
    public static final ModelBudget DEFAULT = TRUSTED.withScaling(DEFAULT_SCALING);

    /** No limits beyond what Java's arrays allow. */
    public static final ModelBudget UNLIMITED = new ModelBudget(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, null);

    /** Checks that every limit is non-negative (and at least one subgraph is allowed). */
    public ModelBudget {
        if (maxModelBytes < 0 || maxSubgraphs < 1 || maxOperators < 0 || maxTensors < 0 || maxTensorReferences < 0
                || maxPlannedBuffers < 0 || maxArenaBytes < 0 || maxPrepareHeapBytes < 0 || maxLoopIterations < 0) {
            throw new IllegalArgumentException("budget limits must be >= 0 (subgraphs >= 1): " + this);
        }
    }

    /** This budget with another cap on model bytes. */
    public ModelBudget withMaxModelBytes(long bytes) {
        return new ModelBudget(bytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers,
                maxArenaBytes, maxPrepareHeapBytes, maxLoopIterations, scaling);
    }

    /** This budget with other caps on subgraphs, operators, tensors and operator tensor references. */
    public ModelBudget withMaxCounts(int subgraphs, int operators, int tensors, long tensorReferences) {
        return new ModelBudget(maxModelBytes, subgraphs, operators, tensors, tensorReferences, maxPlannedBuffers,
                maxArenaBytes, maxPrepareHeapBytes, maxLoopIterations, scaling);
    }

    /** This budget with another cap on the buffers the arena planner places. */
    public ModelBudget withMaxPlannedBuffers(int buffers) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, buffers,
                maxArenaBytes, maxPrepareHeapBytes, maxLoopIterations, scaling);
    }

    /** This budget with another arena cap (a scaled budget still lowers it for small models). */
    public ModelBudget withMaxArenaBytes(long bytes) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers,
                bytes, maxPrepareHeapBytes, maxLoopIterations, scaling);
    }

    /** This budget with another prepare-time heap cap (a scaled budget still lowers it for small models). */
    public ModelBudget withMaxPrepareHeapBytes(long bytes) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers,
                maxArenaBytes, bytes, maxLoopIterations, scaling);
    }

    /** This budget with another limit on the WHILE iterations of one invoke. */
    public ModelBudget withMaxLoopIterations(long iterations) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers,
                maxArenaBytes, maxPrepareHeapBytes, iterations, scaling);
    }

    /** This budget with the arena and prepare-heap limits scaled by {@code scaling}, or fixed when it is null. */
    public ModelBudget withScaling(Scaling scaling) {
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, maxPlannedBuffers,
                maxArenaBytes, maxPrepareHeapBytes, maxLoopIterations, scaling);
    }

    /**
     * The fixed limits that apply to a model of {@code modelBytes} bytes: the scaled arena limit when the interpreter
     * sizes the arena ({@code declaredArena} 0), the scaled prepare-heap and planned-buffer limits; this budget itself
     * when unscaled.
     */
    public ModelBudget forModel(long modelBytes, long declaredArena) {
        if (scaling == null) return this;
        long arena = declaredArena > 0 ? maxArenaBytes : scaling.limit(scaling.arenaFloorBytes(), maxArenaBytes, modelBytes);
        long heap = scaling.limit(scaling.prepareHeapFloorBytes(), maxPrepareHeapBytes, modelBytes);
        int buffers = scaling.plannedBuffers(maxPlannedBuffers, modelBytes);
        return new ModelBudget(maxModelBytes, maxSubgraphs, maxOperators, maxTensors, maxTensorReferences, buffers,
                arena, heap, maxLoopIterations, null);
    }

    /**
     * Checks what the model declares before any kernel runs: its size and counts, and that no non-constant tensor is
     * larger than the arena may be ({@code declaredArena} when the options declare one, else the budget's limit).
     */
    void checkModel(Model model, long declaredArena) {
        require("model bytes", model.sizeBytes(), maxModelBytes, "the model", "withMaxModelBytes");
        int subgraphs = model.subgraphs().size();
        require("subgraphs", subgraphs, maxSubgraphs, "the model", "withMaxCounts");
        long operators = 0, tensors = 0, references = 0;
        for (SubgraphInfo g : model.subgraphs()) {
            operators += g.operators().size();
            tensors += g.tensors().size();
            for (var op : g.operators()) references += op.inputCount() + op.outputCount() + op.intermediates().length;
        }
        require("operators", operators, maxOperators, "the model's " + subgraphs + " subgraphs", "withMaxCounts");
        require("tensors", tensors, maxTensors, "the model's " + subgraphs + " subgraphs", "withMaxCounts");
        require("operator tensor references", references, maxTensorReferences, "the model's " + operators + " operators", "withMaxCounts");
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
                throw new BudgetExceededException("arena bytes", bytes, maxArenaBytes, what, "withMaxArenaBytes");
            }
        }
    }

    /** Checks the number of buffers the planner would place: every tensor plus every scratch request. */
    void checkPlannedBuffers(Model model, dev.minnow.arena.NodeFootprint[][] footprints) {
        long buffers = 0;
        for (SubgraphInfo g : model.subgraphs()) buffers += g.tensors().size();
        for (var sg : footprints) for (var n : sg) if (n != null) buffers += n.scratchBytes().length;
        require("planned buffers", buffers, maxPlannedBuffers, "the arena plan (tensors and scratch requests)", "withMaxPlannedBuffers");
    }

    /** Checks the planned arena before it is allocated. */
    void checkArena(long bytes) { require("arena bytes", bytes, maxArenaBytes, "the planned tensor arena", "withMaxArenaBytes"); }

    private static void require(String resource, long n, long limit, String what, String option) {
        if (n > limit) throw new BudgetExceededException(resource, n, limit, what, option);
    }
}
