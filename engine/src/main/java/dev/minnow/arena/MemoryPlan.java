package dev.minnow.arena;

import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.Arrays;
import java.util.List;

/**
 * The planned head of the arena for one subgraph, built the way TFLM's AllocationInfoBuilder and
 * GreedyMemoryPlanner build it: every non-constant, non-variable tensor of non-zero size is a buffer (in tensor
 * order), then every scratch request (in request order); lifetimes are counted in allocation scopes (0 = the
 * subgraph inputs, node i = scope i + 1, outputs live to the last scope); sizes are aligned to 16 bytes.
 */
public final class MemoryPlan {
    /** TFLM's MicroArenaBufferAlignment(). */
    public static final int ALIGNMENT = 16;

    /** A scratch buffer request of a node (TFLM's RequestScratchBufferInArena). */
    public record ScratchRequest(int node, int bytes) {}

    private final int[] tensorOffset;   // -1: not planned
    private final int[] tensorFirst;
    private final int[] tensorLast;
    private final int[] tensorBytes;
    private final int[] scratchOffset;
    private final int headBytes;
    private final GreedyMemoryPlanner planner;

    private MemoryPlan(int[] tensorOffset, int[] tensorFirst, int[] tensorLast, int[] tensorBytes,
                       int[] scratchOffset, int headBytes, GreedyMemoryPlanner planner) {
        this.tensorOffset = tensorOffset;
        this.tensorFirst = tensorFirst;
        this.tensorLast = tensorLast;
        this.tensorBytes = tensorBytes;
        this.scratchOffset = scratchOffset;
        this.headBytes = headBytes;
        this.planner = planner;
    }

    /** {@code bytes} rounded up to TFLM's 16-byte buffer alignment. */
    public static int alignUp(long bytes) { return (int) ((bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT); }

    /**
     * Plans the subgraph. {@code offlineOffsets} holds one entry per tensor from the model's
     * {@code OfflineMemoryAllocation} metadata (-1 = plan at run time), or is null.
     */
    public static MemoryPlan plan(SubgraphInfo graph, List<ScratchRequest> scratches, int[] offlineOffsets) {
        List<TensorInfo> tensors = graph.tensors();
        int n = tensors.size();
        if (offlineOffsets != null && offlineOffsets.length != n) {
            throw new ArenaPlanException("offline memory allocation lists " + offlineOffsets.length
                    + " tensor offsets, the subgraph has " + n + " tensors");
        }
        int[] first = new int[n];
        int[] last = new int[n];
        Arrays.fill(first, -1);
        Arrays.fill(last, -1);
        int scope = 0;
        for (int in : graph.inputs()) { if (first[in] < 0) first[in] = scope; last[in] = scope; }
        List<OperatorInfo> ops = graph.operators();
        int[] scratchFirst = new int[scratches.size()];
        int[] scratchLast = new int[scratches.size()];
        for (int i = 0; i < ops.size(); i++) {
            scope++;
            OperatorInfo op = ops.get(i);
            for (int t : op.outputs()) if (first[t] < 0) first[t] = scope;
            for (int t : op.inputs()) if (t >= 0) last[t] = scope;
            for (int t : op.outputs()) last[t] = scope;
            for (int s = 0; s < scratches.size(); s++) {
                if (scratches.get(s).node() == i) { scratchFirst[s] = scope; scratchLast[s] = scope; }
            }
        }
        for (int out : graph.outputs()) { if (first[out] < 0) first[out] = scope; last[out] = scope; }

        GreedyMemoryPlanner planner = new GreedyMemoryPlanner();
        int[] buffer = new int[n];
        int[] bytes = new int[n];
        Arrays.fill(buffer, -1);
        for (int t = 0; t < n; t++) {
            TensorInfo info = tensors.get(t);
            bytes[t] = (int) info.byteSize();
            int offline = offlineOffsets == null ? GreedyMemoryPlanner.ONLINE : offlineOffsets[t];
            boolean needs = !info.isConstant() && !info.isVariable() && bytes[t] != 0;
            if (info.isVariable() && offline != GreedyMemoryPlanner.ONLINE) needs = true;
            if (needs) buffer[t] = planner.addBuffer(alignUp(bytes[t]), first[t], last[t], offline);
        }
        int[] scratchBuffer = new int[scratches.size()];
        for (int s = 0; s < scratches.size(); s++) {
            scratchBuffer[s] = planner.addBuffer(alignUp(scratches.get(s).bytes()), scratchFirst[s], scratchLast[s]);
        }
        int[] tensorOffset = new int[n];
        for (int t = 0; t < n; t++) tensorOffset[t] = buffer[t] < 0 ? -1 : planner.offset(buffer[t]);
        int[] scratchOffset = new int[scratches.size()];
        for (int s = 0; s < scratches.size(); s++) scratchOffset[s] = planner.offset(scratchBuffer[s]);
        return new MemoryPlan(tensorOffset, first, last, bytes, scratchOffset, planner.maximumMemorySize(), planner);
    }

    /** Bytes of the planned head (the largest end offset of any buffer). */
    public int headBytes() { return headBytes; }

    /** Offset of a tensor in the head, or -1 when it is not planned (constant, variable, empty). */
    public int tensorOffset(int tensor) { return tensorOffset[tensor]; }

    /** Whether the tensor lives in the planned head of the arena. */
    public boolean isPlanned(int tensor) { return tensorOffset[tensor] >= 0; }

    /** First allocation scope in which the tensor is alive (0 = subgraph inputs, node i = i + 1), or -1. */
    public int firstUse(int tensor) { return tensorFirst[tensor]; }

    /** Last allocation scope in which the tensor is used (numbered as {@link #firstUse}), or -1. */
    public int lastUse(int tensor) { return tensorLast[tensor]; }

    /** Bytes the plan reserves for the tensor. */
    public int tensorBytes(int tensor) { return tensorBytes[tensor]; }

    /** Number of tensors of the subgraph the plan covers. */
    public int tensorCount() { return tensorOffset.length; }

    /** Arena offset of scratch buffer request {@code request} (in request order over the nodes). */
    public int scratchOffset(int request) { return scratchOffset[request]; }

    /** Number of buffers handed to the planner (tensors plus scratch). */
    public int bufferCount() { return planner.bufferCount(); }
}
