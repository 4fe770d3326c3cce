package dev.minnow.arena;

import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The planned head of the arena for all subgraphs of a model, built the way TFLM's AllocationInfoBuilder and
 * GreedyMemoryPlanner build it: every non-constant, non-variable tensor of non-zero size of every subgraph is a
 * buffer (subgraph by subgraph, in tensor order), then every scratch request (in request order); sizes are aligned
 * to 16 bytes.
 *
 * <p>Lifetimes are counted in allocation scopes, marked from the main subgraph: its inputs are scope 0, node i
 * opens the next scope, and a control-flow node (IF, WHILE, CALL_ONCE) marks the subgraphs it runs right after
 * its own scope, each in a scope of its own, before its inputs' last use is recorded. So a called subgraph's tensors
 * live inside its caller's node, overlapping the caller's inputs and outputs but none of the caller's other
 * intermediates, and the two subgraphs of one IF or WHILE do not overlap each other. A subgraph called twice keeps
 * its first creation and its last use. Tensors of subgraphs no control-flow node reaches keep no lifetime (-1).
 * Outputs of the main subgraph live to the last scope.
 */
public final class MemoryPlan {
    /** TFLM's MicroArenaBufferAlignment(). */
    public static final int ALIGNMENT = 16;

    /** Marking visits after which a (diamond-shaped) call graph is refused rather than walked for ever. */
    static final long MAX_MARKED_NODES = 10_000_000L;

    /** A scratch buffer request of node {@code node} of subgraph {@code subgraph} (TFLM's RequestScratchBufferInArena). */
    public record ScratchRequest(int subgraph, int node, int bytes) {
        /** A request of node {@code node} of the main subgraph. */
        public ScratchRequest(int node, int bytes) { this(0, node, bytes); }
    }

    private final int[] subgraphStart;  // global index of each subgraph's tensor 0
    private final int[] tensorOffset;   // -1: not planned
    private final int[] tensorFirst;
    private final int[] tensorLast;
    private final int[] tensorBytes;
    private final int[] scratchOffset;
    private final int headBytes;
    private final GreedyMemoryPlanner planner;

    private MemoryPlan(int[] subgraphStart, int[] tensorOffset, int[] tensorFirst, int[] tensorLast, int[] tensorBytes,
                       int[] scratchOffset, int headBytes, GreedyMemoryPlanner planner) {
        this.subgraphStart = subgraphStart;
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
     * Plans every subgraph of the model. {@code offlineOffsets} holds one entry per tensor of all subgraphs (subgraph
     * by subgraph) from the model's {@code OfflineMemoryAllocation} metadata (-1 = plan at run time), or is null.
     * {@code pointedElsewhere} lists (by global index, see {@link #globalIndex}) the tensors a kernel's Prepare
     * pointed at its own memory (VAR_HANDLE's resource id), which TFLM then leaves out of the plan.
     */
    public static MemoryPlan plan(Model model, List<ScratchRequest> scratches, int[] offlineOffsets, BitSet pointedElsewhere) {
        List<SubgraphInfo> graphs = model.subgraphs();
        int[] start = new int[graphs.size() + 1];
        for (int s = 0; s < graphs.size(); s++) start[s + 1] = start[s] + graphs.get(s).tensors().size();
        int n = start[graphs.size()];
        if (offlineOffsets != null && offlineOffsets.length != n) {
            throw new ArenaPlanException("offline memory allocation lists " + offlineOffsets.length
                    + " tensor offsets, the model has " + n + " tensors");
        }
        Lifetimes life = new Lifetimes(graphs, start, scratches);
        life.mark(0);
        for (int i = 0; i < scratches.size(); i++) {
            ScratchRequest r = scratches.get(i);
            if (r.subgraph() < 0 || r.subgraph() >= graphs.size()) {
                throw new IllegalArgumentException("scratch request " + i + " names subgraph " + r.subgraph() + " of " + graphs.size());
            }
        }

        GreedyMemoryPlanner planner = new GreedyMemoryPlanner();
        int[] buffer = new int[n];
        int[] bytes = new int[n];
        Arrays.fill(buffer, -1);
        for (int s = 0; s < graphs.size(); s++) {
            List<TensorInfo> tensors = graphs.get(s).tensors();
            for (int t = 0; t < tensors.size(); t++) {
                int g = start[s] + t;
                TensorInfo info = tensors.get(t);
                bytes[g] = (int) info.byteSize();
                int offline = offlineOffsets == null ? GreedyMemoryPlanner.ONLINE : offlineOffsets[g];
                boolean needs = !info.isConstant() && !info.isVariable() && bytes[g] != 0
                        && (pointedElsewhere == null || !pointedElsewhere.get(g));
                if (info.isVariable() && offline != GreedyMemoryPlanner.ONLINE) needs = true;
                if (needs) buffer[g] = planner.addBuffer(alignUp(bytes[g]), life.first[g], life.last[g], offline);
            }
        }
        int[] scratchBuffer = new int[scratches.size()];
        for (int s = 0; s < scratches.size(); s++) {
            scratchBuffer[s] = planner.addBuffer(alignUp(scratches.get(s).bytes()), life.scratchFirst[s], life.scratchLast[s]);
        }
        int[] tensorOffset = new int[n];
        for (int t = 0; t < n; t++) tensorOffset[t] = buffer[t] < 0 ? -1 : planner.offset(buffer[t]);
        int[] scratchOffset = new int[scratches.size()];
        for (int s = 0; s < scratches.size(); s++) scratchOffset[s] = planner.offset(scratchBuffer[s]);
        return new MemoryPlan(start, tensorOffset, life.first, life.last, bytes, scratchOffset, planner.maximumMemorySize(), planner);
    }

    /** Plans every subgraph of the model, no tensor pointed elsewhere by a kernel. */
    public static MemoryPlan plan(Model model, List<ScratchRequest> scratches, int[] offlineOffsets) {
        return plan(model, scratches, offlineOffsets, null);
    }

    /**
     * TFLM's lifetime marking (AllocationInfoBuilder::MarkAllocationLifetimes), recursive through control-flow nodes.
     * A subgraph that (indirectly) runs itself would recurse for ever in TFLM; it is refused.
     */
    private static final class Lifetimes {
        final List<SubgraphInfo> graphs;
        final int[] start;
        final List<ScratchRequest> scratches;
        final int[] first, last, scratchFirst, scratchLast;
        final boolean[] active;
        final int[][] scratchStart;  // per subgraph: requests of node i are scratchOrder[start[i] .. start[i + 1])
        final int[] scratchOrder;
        int scope;
        long visits;

        Lifetimes(List<SubgraphInfo> graphs, int[] start, List<ScratchRequest> scratches) {
            this.graphs = graphs;
            this.start = start;
            this.scratches = scratches;
            int n = start[graphs.size()];
            first = new int[n];
            last = new int[n];
            Arrays.fill(first, -1);
            Arrays.fill(last, -1);
            scratchFirst = new int[scratches.size()];
            scratchLast = new int[scratches.size()];
            Arrays.fill(scratchFirst, -1);
            Arrays.fill(scratchLast, -1);
            active = new boolean[graphs.size()];
            // The requests of each node, so marking stays linear in nodes plus requests.
            scratchStart = new int[graphs.size()][];
            for (int s = 0; s < graphs.size(); s++) scratchStart[s] = new int[graphs.get(s).operators().size() + 2];
            for (ScratchRequest q : scratches) {
                if (q.subgraph() >= 0 && q.subgraph() < graphs.size() && q.node() >= 0 && q.node() < graphs.get(q.subgraph()).operators().size()) {
                    scratchStart[q.subgraph()][q.node() + 2]++;
                }
            }
            int total = 0;
            for (int[] counts : scratchStart) {
                for (int i = 2; i < counts.length; i++) counts[i] += counts[i - 1];
                for (int i = 0; i < counts.length; i++) counts[i] += total;
                total = counts[counts.length - 1];
            }
            scratchOrder = new int[total];
            for (int r = 0; r < scratches.size(); r++) {
                ScratchRequest q = scratches.get(r);
                if (q.subgraph() >= 0 && q.subgraph() < graphs.size() && q.node() >= 0 && q.node() < graphs.get(q.subgraph()).operators().size()) {
                    scratchOrder[scratchStart[q.subgraph()][q.node() + 1]++] = r;
                }
            }
        }

        void created(int g, int at) { if (first[g] < 0) first[g] = at; }

        void mark(int s) {
            SubgraphInfo graph = graphs.get(s);
            int base = start[s];
            active[s] = true;
            for (int in : graph.inputs()) {
                created(base + in, scope);
                last[base + in] = scope;
            }
            List<OperatorInfo> ops = graph.operators();
            for (int i = 0; i < ops.size(); i++) {
                if (++visits > MAX_MARKED_NODES) {
                    throw new ArenaPlanException("the model's control-flow operators run subgraphs more than " + MAX_MARKED_NODES
                            + " node visits deep; TFLM's planner would not finish either");
                }
                scope++;
                OperatorInfo op = ops.get(i);
                for (int t : op.outputs()) created(base + t, scope);
                int opened = scope;
                for (int callee : SubgraphCalls.of(op)) {
                    if (callee < 0 || callee >= graphs.size()) {
                        throw new ArenaPlanException("node " + i + " (" + op.opCode().displayName() + ") of subgraph " + s
                                + " runs subgraph " + callee + " but the model has " + graphs.size());
                    }
                    if (active[callee]) {
                        throw new ArenaPlanException("node " + i + " (" + op.opCode().displayName() + ") of subgraph " + s
                                + " runs subgraph " + callee + ", which is already running: TFLM's planner recurses for ever");
                    }
                    scope++;
                    mark(callee);
                }
                for (int t : op.inputs()) if (t >= 0) last[base + t] = scope;
                for (int t : op.outputs()) last[base + t] = scope;
                for (int k = scratchStart[s][i]; k < scratchStart[s][i + 1]; k++) {
                    int r = scratchOrder[k];
                    if (scratchFirst[r] < 0) scratchFirst[r] = opened;
                    scratchLast[r] = scope;
                }
            }
            for (int out : graph.outputs()) {
                created(base + out, scope);
                last[base + out] = scope;
            }
            active[s] = false;
        }
    }

    /** Bytes of the planned head (the largest end offset of any buffer). */
    public int headBytes() { return headBytes; }

    /** Global index of tensor {@code tensor} of subgraph {@code subgraph}: the tensors of all subgraphs in order. */
    public int globalIndex(int subgraph, int tensor) { return subgraphStart[subgraph] + tensor; }

    /** Offset of a main-subgraph tensor in the head, or -1 when it is not planned (constant, variable, empty). */
    public int tensorOffset(int tensor) { return tensorOffset[tensor]; }

    /** Offset of tensor {@code tensor} of subgraph {@code subgraph} in the head, or -1 when it is not planned. */
    public int tensorOffset(int subgraph, int tensor) { return tensorOffset[globalIndex(subgraph, tensor)]; }

    /** Whether a main-subgraph tensor lives in the planned head of the arena. */
    public boolean isPlanned(int tensor) { return tensorOffset[tensor] >= 0; }

    /** Whether tensor {@code tensor} of subgraph {@code subgraph} lives in the planned head of the arena. */
    public boolean isPlanned(int subgraph, int tensor) { return tensorOffset(subgraph, tensor) >= 0; }

    /** First allocation scope in which a main-subgraph tensor is alive (0 = subgraph inputs, node i = i + 1), or -1. */
    public int firstUse(int tensor) { return tensorFirst[tensor]; }

    /** Last allocation scope in which the tensor is used (numbered as {@link #firstUse}), or -1. */
    public int lastUse(int tensor) { return tensorLast[tensor]; }

    /** First allocation scope in which tensor {@code tensor} of subgraph {@code subgraph} is alive, or -1. */
    public int firstUse(int subgraph, int tensor) { return tensorFirst[globalIndex(subgraph, tensor)]; }

    /** Last allocation scope in which tensor {@code tensor} of subgraph {@code subgraph} is used, or -1. */
    public int lastUse(int subgraph, int tensor) { return tensorLast[globalIndex(subgraph, tensor)]; }

    /** Bytes the plan reserves for a main-subgraph tensor. */
    public int tensorBytes(int tensor) { return tensorBytes[tensor]; }

    /** Bytes the plan reserves for tensor {@code tensor} of subgraph {@code subgraph}. */
    public int tensorBytes(int subgraph, int tensor) { return tensorBytes[globalIndex(subgraph, tensor)]; }

    /** Number of tensors of the main subgraph. */
    public int tensorCount() { return subgraphStart[1]; }

    /** Number of tensors of all subgraphs. */
    public int totalTensorCount() { return tensorOffset.length; }

    /** Arena offset of scratch buffer request {@code request} (in request order over the nodes). */
    public int scratchOffset(int request) { return scratchOffset[request]; }

    /** Number of buffers handed to the planner (tensors plus scratch). */
    public int bufferCount() { return planner.bufferCount(); }
}
