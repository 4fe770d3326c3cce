package dev.minnow.arena;

import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays TFLM's allocation sequence (MicroInterpreter construction and AllocateTensors) on a simulated arena of a
 * given size: persistent allocations grow down from the tail (AlignDown to each struct's alignment), the scratch
 * request buffer, temporaries and finally the planned activations grow up from the head. Answers the bytes TFLM
 * reports as arena_used_bytes() and whether an arena of a given size is accepted.
 *
 * <p>Every subgraph counts: TFLM allocates eval tensors and node registrations for all of them, parses, initialises
 * and prepares every node of every subgraph (subgraph by subgraph), and plans all subgraphs' tensors in one head
 * ({@link MemoryPlan}). Models with VAR_HANDLE also hold resource variables ({@link ResourceVariablePlan}).
 */
public final class TflmArena {
    private static final int ALIGN = MemoryPlan.ALIGNMENT;
    private static final int MAX_SCRATCH_PER_OP = 12;

    private final Model model;
    private final Target target;
    private final NodeFootprint[][] nodes;   // per subgraph, per node
    private final ResourceVariablePlan resources;
    private final MemoryPlan plan;

    /** Bytes by category, filled by the last successful simulation. */
    public record Breakdown(long allocatorObjects, long evalTensors, long nodeAndRegistrations, long builtinData,
                            long opData, long variables, long scratchHandles, long persistentTensors,
                            long quantizationData, long head, long tail, long resourceVariables) {}

    /** The arena of every subgraph of {@code model} on {@code target}, each node's footprint given by {@code rules}. */
    public TflmArena(Model model, Target target, FootprintRule rules) {
        this(model, target, footprints(model, target, rules));
    }

    /** The arena of a single-subgraph model on {@code target}, with one footprint per node of its main subgraph. */
    public TflmArena(Model model, Target target, NodeFootprint[] footprints) {
        this(model, target, single(model, footprints));
    }

    /**
     * The arena of {@code model} on {@code target}, with one footprint per node of each subgraph
     * ({@code footprints[s][i]} for node i of subgraph s).
     */
    public TflmArena(Model model, Target target, NodeFootprint[][] footprints) {
        this.model = model;
        this.target = target;
        List<SubgraphInfo> graphs = model.subgraphs();
        if (footprints.length != graphs.size()) {
            throw new IllegalArgumentException(footprints.length + " footprint lists for " + graphs.size() + " subgraphs");
        }
        this.nodes = new NodeFootprint[graphs.size()][];
        List<MemoryPlan.ScratchRequest> scratches = new ArrayList<>();
        int totalTensors = 0;
        for (int s = 0; s < graphs.size(); s++) {
            SubgraphInfo g = graphs.get(s);
            totalTensors += g.tensors().size();
            if (footprints[s].length != g.operators().size()) {
                throw new IllegalArgumentException(footprints[s].length + " footprints for " + g.operators().size()
                        + " nodes of subgraph " + s);
            }
            nodes[s] = footprints[s].clone();
            for (int i = 0; i < nodes[s].length; i++) {
                for (int b : nodes[s][i].scratchBytes()) scratches.add(new MemoryPlan.ScratchRequest(s, i, b));
            }
        }
        this.resources = ResourceVariablePlan.of(model);
        this.plan = MemoryPlan.plan(model, scratches, OfflinePlan.offsets(model, totalTensors), resources.pointedElsewhere());
    }

    private static NodeFootprint[][] single(Model model, NodeFootprint[] footprints) {
        if (model.subgraphs().size() != 1) {
            throw new IllegalArgumentException("the model has " + model.subgraphs().size() + " subgraphs; give footprints for each");
        }
        return new NodeFootprint[][] {footprints};
    }

    /** Each node's footprint by {@code rules}, subgraph by subgraph; a node the rules cannot read is an {@link ArenaPlanException}. */
    public static NodeFootprint[][] footprints(Model model, Target target, FootprintRule rules) {
        NodeFootprint[][] out = new NodeFootprint[model.subgraphs().size()][];
        for (SubgraphInfo g : model.subgraphs()) out[g.index()] = footprints(g, target, rules);
        return out;
    }

    /** Each node's footprint by {@code rules}; a node the rules cannot read is an {@link ArenaPlanException}. */
    public static NodeFootprint[] footprints(SubgraphInfo graph, Target target, FootprintRule rules) {
        NodeFootprint[] out = new NodeFootprint[graph.operators().size()];
        for (int i = 0; i < out.length; i++) {
            OperatorInfo op = graph.operators().get(i);
            try {
                out[i] = rules.of(op, graph, target);
            } catch (RuntimeException e) {
                // Kernels reject such nodes first; this keeps a malformed node from escaping as a raw error.
                throw new ArenaPlanException("node " + i + (graph.index() == 0 ? "" : " of subgraph " + graph.index())
                        + " (" + op.opCode().displayName() + ") has tensors the arena accounting cannot read: " + e, e);
            }
        }
        return out;
    }

    /** The footprint of node {@code i} of the main subgraph. */
    public NodeFootprint footprint(int i) { return nodes[0][i]; }

    /** The footprint of node {@code i} of subgraph {@code subgraph}. */
    public NodeFootprint footprint(int subgraph, int i) { return nodes[subgraph][i]; }

    /** The plan of the head: every subgraph's tensors and every scratch request. */
    public MemoryPlan plan() { return plan; }

    /** The target whose sizes the accounting uses. */
    public Target target() { return target; }

    /** The model whose arena this is. */
    public Model model() { return model; }

    /** The main subgraph. */
    public SubgraphInfo graph() { return model.mainSubgraph(); }

    /** What the model's resource variables hold in the arena. */
    public ResourceVariablePlan resources() { return resources; }

    /** Simulates an arena of {@code size} bytes (16-aligned start). Returns the used bytes, or -1 if TFLM would fail. */
    public long simulate(long size) {
        Sim s = new Sim(size);
        return s.run() ? s.used() : -1;
    }

    /** The breakdown of a successful allocation in a large arena. */
    public Breakdown breakdown() {
        Sim s = new Sim(1L << 40);
        s.run();
        return s.breakdown();
    }

    /** The highest address temporaries reach during AllocateTensors in a large arena (relative to the arena start). */
    public long peakTempBytes() {
        Sim s = new Sim(1L << 40);
        s.run();
        return s.maxTemp;
    }

    /** arena_used_bytes() after AllocateTensors in a large enough arena. */
    public long usedBytes() { return simulate(1L << 40); }

    /** The arena TFLM's reference tool bisects from (tflm_run --arena-only: 4 MiB unless told otherwise). */
    public static final long BISECTION_START = 4L << 20;

    /**
     * The minimum arena TFLM's reference tool reports: a bisection between 0 (fails) and {@link #BISECTION_START}
     * (succeeds), as tflm_run --arena-only runs it on fresh arenas. The size returned is accepted and one byte less is
     * not. Acceptance is not monotone in the size: where Prepare's persistent buffers come down over the temporaries
     * of the same node, whether one of them lands on a deallocation-relevant field depends on the exact addresses, so
     * a few sizes below the bisection's answer may be accepted too; the bisection's answer is the one TFLM measures.
     * Models larger than the start are bisected from the first power-of-two multiple of it that fits them.
     */
    public long minimumArenaBytes() {
        long used = usedBytes();
        if (used < 0) throw new ArenaPlanException("the model cannot be allocated in any arena (" + target.id() + ")");
        long lo = 0, hi = BISECTION_START;
        // the simulation succeeded at 2^40 bytes, so the doubling ends there at the latest
        while (simulate(hi) < 0) hi = Math.min(2 * hi, 1L << 40);
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (simulate(mid) >= 0) hi = mid; else lo = mid;
        }
        return hi;
    }

    private final class Sim {
        final long end;
        long tail;
        long head;     // end of the non-persistent region in use (scratch request buffer, later the plan)
        long temp;     // end of temporaries
        long maxTemp;
        long objects, evalTensors, nodeRegs, builtin, opData, variables, handles, tensorStructs, quant, resourceVars;

        Sim(long size) { this.end = size; this.tail = size; }

        private static long down(long x, long a) { return Math.floorDiv(x, a) * a; }
        private static long up(long x, long a) { return Math.floorDiv(x + a - 1, a) * a; }

        boolean persistent(long bytes, long align) {
            long r = down(tail - bytes, align);
            if (r < head) return false;
            tail = r;
            return true;
        }

        boolean resize(long bytes, long align) {
            long start = up(0, align);
            if (tail - start < bytes) return false;
            head = start + bytes;
            temp = head;
            return true;
        }

        /**
         * AllocateTemp. The room left is {@code tail - start} as an unsigned size_t: when a persistent allocation
         * of the same Prepare has already gone below the temporaries, it wraps and any request succeeds.
         */
        boolean temp(long bytes, long align) {
            long r = up(temp, align);
            if (r <= tail && tail - r < bytes) return false;
            temp = r + bytes;
            maxTemp = Math.max(maxTemp, temp);
            return true;
        }

        // Bytes of the current node's temporaries whose clobbering fails AllocateTensors, as [start, end) ranges: the
        // fields DeallocateTempTfLiteTensor reads back (the struct's quantization type and params pointer, and the
        // affine quantization's zero-point pointer), as a wrong pointer breaks the temp checksum that
        // ResetTempAllocations checks. Buffers written over other fields do not fail it: no kernel's Prepare reads a
        // clobbered field back in a way that fails on the corpus (e.g. EMBEDDING_LOOKUP's output dims landing on its
        // output tensor's type; the corpus minima of every op on both targets agree with this rule).
        long[] liveStart = new long[32], liveEnd = new long[32];
        int liveCount;

        void live(long start, long end) {
            if (liveCount == liveStart.length) {
                liveStart = java.util.Arrays.copyOf(liveStart, 2 * liveCount);
                liveEnd = java.util.Arrays.copyOf(liveEnd, 2 * liveCount);
            }
            liveStart[liveCount] = start;
            liveEnd[liveCount++] = end;
        }

        /** AllocateTempTfLiteTensor: the struct, then its quantization params and zero-point array. */
        boolean tempTensor(TensorInfo t, int sa) {
            if (!temp(target.tfLiteTensor(), sa)) return false;
            long struct = temp - target.tfLiteTensor();
            live(struct, struct + 2L * target.pointerSize()); // TfLiteQuantization {type, params}
            Quantization q = t.quantization();
            if (q.isQuantized() && q.zeroPoints().length > 0) {
                if (!temp(target.affineQuantization(), sa)) return false;
                long affine = temp - target.affineQuantization();
                live(affine + target.pointerSize(), affine + 2L * target.pointerSize()); // its zero_point pointer
                return temp(Target.intArrayBytes(q.channelCount()), 4);
            }
            return true;
        }

        /** Whether Prepare can fill persistent buffers at {@code [start[i], start[i] + bytes[i])} without clobbering a live temporary. */
        boolean fill(long[] start, int[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                for (int k = 0; k < liveCount; k++) {
                    if (start[i] < liveEnd[k] && liveStart[k] < start[i] + bytes[i]) return false;
                }
            }
            return true;
        }

        /** The node's Prepare allocations; their addresses go to {@code at}. */
        boolean prepareAllocations(NodeFootprint n, long[] at) {
            int[] b = n.prepareBytes();
            for (int i = 0; i < b.length; i++) {
                if (!p(b[i], ALIGN, 4)) return false;
                at[i] = tail;
            }
            return true;
        }

        long used() { return (end - tail) + Math.max(head, temp); }

        boolean track(long before, boolean ok, int category) {
            if (!ok) return false;
            long d = before - tail;
            switch (category) {
                case 0 -> objects += d;
                case 1 -> evalTensors += d;
                case 2 -> nodeRegs += d;
                case 3 -> builtin += d;
                case 4 -> opData += d;
                case 5 -> variables += d;
                case 6 -> handles += d;
                case 7 -> tensorStructs += d;
                case 9 -> resourceVars += d;
                default -> quant += d;
            }
            return true;
        }

        boolean p(long bytes, long align, int category) { return track(tail, persistent(bytes, align), category); }

        boolean run() {
            int sa = target.structAlignment();
            List<SubgraphInfo> graphs = model.subgraphs();
            // MicroAllocator::Create (arena start is 16-aligned).
            if (!p(target.singleArenaBufferAllocator(), sa, 0) || !p(target.greedyMemoryPlanner(), sa, 0)
                    || !p(target.microAllocator(), sa, 0)) return false;
            // MicroResourceVariables::Create(allocator, capacity), before the interpreter is built on the allocator.
            if (resources.present() && (!p(target.resourceVariables(), ALIGN, 9)
                    || !p((long) target.resourceVariable() * resources.capacity(), ALIGN, 9))) return false;
            // StartModelAllocation.
            if (!p(target.builtinDataAllocator(), sa, 0)) return false;
            int sbr = target.scratchBufferRequest();
            if (!resize((long) sbr * MAX_SCRATCH_PER_OP, sa)) return false;
            if (!p((long) target.subgraphAllocations() * graphs.size(), sa, 0)) return false;
            for (SubgraphInfo sg : graphs) if (!p((long) target.evalTensor() * sg.tensors().size(), sa, 1)) return false;
            for (SubgraphInfo sg : graphs) if (!p((long) target.nodeAndRegistration() * sg.operators().size(), sa, 2)) return false;
            // Builtin params of every subgraph's nodes, then every kernel's Init, then Prepare node by node.
            for (NodeFootprint[] sg : nodes) {
                for (NodeFootprint n : sg) if (n.builtinBytes() > 0 && !p(n.builtinBytes(), n.builtinAlign(), 3)) return false;
            }
            for (NodeFootprint[] sg : nodes) for (NodeFootprint n : sg) for (int b : n.initBytes()) if (!p(b, ALIGN, 4) && !n.initMayFail()) return false;
            int scratchCount = 0;
            for (int s = 0; s < nodes.length; s++) {
                SubgraphInfo graph = graphs.get(s);
                for (int i = 0; i < nodes[s].length; i++) {
                    NodeFootprint n = nodes[s][i];
                    boolean persistentDone = false;
                    int allocated = 0;
                    long[] at = new long[n.prepareBytes().length];
                    liveCount = 0;
                    for (int t : n.tempTensors()) {
                        if (t == NodeFootprint.PERSISTENT_HERE) {
                            if (!prepareAllocations(n, at)) return false;
                            persistentDone = true;
                        } else if (t == NodeFootprint.WRITTEN_HERE) {
                            if (!fill(at, n.prepareBytes())) return false;
                        } else if (t == NodeFootprint.ALLOCATE_NEXT) {
                            if (!p(n.prepareBytes()[allocated], ALIGN, 4)) return false;
                            at[allocated++] = tail;
                            persistentDone = true;
                        } else if (t == NodeFootprint.WRITE_LAST) {
                            if (!fill(new long[] {at[allocated - 1]}, new int[] {n.prepareBytes()[allocated - 1]})) return false;
                        } else if (t == NodeFootprint.RELEASE_TEMPS) {
                            liveCount = 0;
                        } else if (t <= NodeFootprint.WRITE_POINTER_SLOT) {
                            long slot = at[0] + (long) (NodeFootprint.WRITE_POINTER_SLOT - t) * target.pointerSize();
                            if (!fill(new long[] {slot}, new int[] {target.pointerSize()})) return false;
                        } else if (!tempTensor(graph.tensor(t), sa)) {
                            return false;
                        }
                    }
                    if (!persistentDone && (!prepareAllocations(n, at) || !fill(at, n.prepareBytes()))) return false;
                    // ASSIGN_VARIABLE's first Prepare for a variable allocates its buffer (its value tensor still
                    // live as a temporary) and fills it with the default value.
                    ResourceVariablePlan.BufferAllocation rv = resources.allocationAt(s, i);
                    if (rv != null && (!p(rv.bytes(), ALIGN, 9) || !fill(new long[] {tail}, new int[] {rv.bytes()}))) return false;
                    scratchCount += n.scratchBytes().length;
                    temp = head; // ResetTempAllocations
                    // TFLM ignores FinishPrepareNodeAllocations' status, but a resize that fails here means planning
                    // (the request buffer as it stands plus an AllocationInfo and the planner's bytes for every buffer,
                    // each scratch request included, as temporaries) fails later anyway.
                    if (!resize((long) sbr * (scratchCount + MAX_SCRATCH_PER_OP), sa)) return false;
                }
            }
            // FinishModelAllocation.
            if (scratchCount > 0 && !p((long) target.scratchBufferHandle() * scratchCount, sa, 6)) return false;
            if (!temp((long) target.pointerSize() * graphs.size(), target.pointerSize())) return false;
            int tensorCount = plan.totalTensorCount();
            if (!temp((long) target.allocationInfo() * (tensorCount + scratchCount), sa)) return false;
            int[] offline = OfflinePlan.offsets(model, tensorCount);
            int global = 0;
            for (SubgraphInfo sg : graphs) {
                for (TensorInfo t : sg.tensors()) {
                    boolean offlinePlanned = offline != null && offline[global] != GreedyMemoryPlanner.ONLINE;
                    global++;
                    if (t.isVariable() && !offlinePlanned && !p(t.byteSize(), ALIGN, 5)) return false;
                }
            }
            long available = down(tail, ALIGN) - up(temp, ALIGN);
            if (available < 0 || available / target.plannerBytesPerBuffer() < plan.bufferCount()) return false;
            maxTemp = Math.max(maxTemp, up(temp, ALIGN) + (long) target.plannerBytesPerBuffer() * plan.bufferCount());
            temp = 0;
            head = 0;
            if (tail - up(0, ALIGN) < plan.headBytes()) return false;
            head = plan.headBytes();
            temp = head;
            // Input and output TfLiteTensors of the main subgraph.
            SubgraphInfo main = graphs.get(0);
            for (int[] io : new int[][] {main.inputs(), main.outputs()}) {
                if (!p((long) target.pointerSize() * io.length, ALIGN, 7)) return false;
                for (int idx : io) {
                    if (!p(target.tfLiteTensor(), sa, 7)) return false;
                    Quantization q = main.tensor(idx).quantization();
                    if (q.isQuantized() && q.zeroPoints().length > 0) {
                        if (!p(target.affineQuantization(), sa, 8) || !p(Target.intArrayBytes(q.channelCount()), 4, 8)) return false;
                    }
                }
            }
            return true;
        }

        Breakdown breakdown() {
            return new Breakdown(objects, evalTensors, nodeRegs, builtin, opData, variables, handles, tensorStructs, quant,
                    head, end - tail, resourceVars);
        }
    }

}
