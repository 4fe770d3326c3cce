package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.arena.ArenaPlanException;
import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.OpCode;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.InvokeAbort;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.ResourceVariables;
import dev.minnow.runtime.ScratchBuffer;
import dev.minnow.runtime.SubgraphInvoker;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.TensorBinder;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One subgraph of a running model, TFLM's per-subgraph {@code SubgraphAllocations}: its tensors, the op descriptor
 * and arena footprint of each node and, once prepared, the nodes ready to run. The {@link Interpreter} owns one per
 * subgraph of the model, resolves and prepares them in model order (as TFLM's MicroInterpreterGraph does), lays all
 * their tensors out in one arena and runs the main one; control-flow kernels run the others through the
 * {@link SubgraphInvoker} their node context offers.
 */
final class Subgraph {
    private final SubgraphInfo info;
    private final Tensor[] tensors;
    private final int[] inputs;
    private final int[] outputs;
    private OpDescriptor[] descriptors;
    private NodeFootprint[] footprints;
    private RuntimeException[] footprintErrors;
    private PreparedOp[] nodes;

    Subgraph(SubgraphInfo info, TensorBinder binder) {
        this.info = info;
        List<TensorInfo> infos = info.tensors();
        this.tensors = new Tensor[infos.size()];
        for (int i = 0; i < tensors.length; i++) tensors[i] = binder.create(infos.get(i));
        this.inputs = info.inputs();
        this.outputs = info.outputs();
    }

    SubgraphInfo info() { return info; }

    int index() { return info.index(); }

    int tensorCount() { return tensors.length; }

    Tensor tensor(int i) { return tensors[i]; }

    Tensor[] tensors() { return tensors; }

    int inputCount() { return inputs.length; }

    int outputCount() { return outputs.length; }

    Tensor input(int i) { return tensors[inputs[i]]; }

    Tensor output(int i) { return tensors[outputs[i]]; }

    int nodeCount() { return info.operators().size(); }

    OpDescriptor descriptor(int node) { return descriptors[node]; }

    NodeFootprint footprint(int node) { return footprints[node]; }

    NodeFootprint[] footprints() { return footprints.clone(); }

    /** Rejects sparse tensors, which TFLM does not run. */
    void checkDense() {
        for (TensorInfo t : info.tensors()) {
            if (t.isSparse()) {
                throw new KernelException("tensor #" + t.index() + " '" + t.name() + "'" + where() + " is sparse; sparse tensors are not supported");
            }
        }
    }

    /** Finds each node's descriptor; an op without one is an {@link UnsupportedOpException}, as TFLM's missing registration. */
    void resolve(OpResolver resolver) {
        List<OperatorInfo> ops = info.operators();
        descriptors = new OpDescriptor[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            OpCode code = ops.get(i).opCode();
            descriptors[i] = resolver.find(code);
            if (descriptors[i] == null) throw new UnsupportedOpException(code, index(), i);
        }
    }

    /**
     * Each node's arena footprint on {@code target}. A node too malformed to have one keeps the error: its kernel
     * rejects it first (with the kernel's message), and only otherwise the arena accounting.
     */
    void footprints(Target target) {
        List<OperatorInfo> ops = info.operators();
        footprints = new NodeFootprint[ops.size()];
        footprintErrors = new RuntimeException[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            try {
                footprints[i] = descriptors[i].footprint().of(ops.get(i), info, target);
            } catch (RuntimeException e) {
                footprintErrors[i] = e;
            }
        }
    }

    /** Prepares node {@code i} (after every node before it, in this and earlier subgraphs). */
    void prepare(int i, SubgraphInvoker invoker, ResourceVariables resources, List<Scratch> scratches,
                 Map<String, AtomicInteger> counters, HeapAccount heap, boolean fastKernels, IntraOpPool pool) {
        if (nodes == null) nodes = new PreparedOp[info.operators().size()];
        OperatorInfo op = info.operators().get(i);
        for (int t : op.outputs()) {
            // Constant data lives in the model (flash on a device): a kernel writing it would change tables other nodes
            // checked in their prepare (the Signal filter bank's), so an operator may not output to one.
            if (t >= 0 && tensors[t].isConstant()) {
                throw new KernelException(name(op, i) + " writes constant tensor " + tensors[t].describe()
                        + "; operators may not overwrite the model's constant data");
            }
        }
        Node node = new Node(i, op, invoker, resources, scratches, counters, heap, fastKernels, pool);
        PreparedOp prepared;
        try {
            prepared = descriptors[i].kernel().get().prepare(node);
        } catch (KernelException | dev.minnow.BudgetExceededException e) {
            throw e;
        } catch (MinnowException e) {
            throw new KernelException(name(op, i) + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A kernel check we missed must still surface as a rejection that names the node, never as a raw error.
            throw new KernelException(name(op, i) + " cannot be prepared: " + unexpected(e, op), e);
        }
        if (prepared == null) throw new IllegalStateException("kernel for " + op.opCode() + " returned no prepared op");
        if (footprintErrors[i] != null) {
            throw new ArenaPlanException("node " + i + where() + " (" + op.opCode().displayName()
                    + ") has tensors the arena accounting cannot read: " + footprintErrors[i], footprintErrors[i]);
        }
        checkStaticOutputs(op, i);
        nodes[i] = prepared;
    }

    /** TFLM rejects outputs with a dimension <= 0 (other than the shape [0]): dynamic tensors are not supported. */
    private void checkStaticOutputs(OperatorInfo op, int i) {
        for (int t : op.outputs()) {
            int[] shape = tensors[t].shape();
            if (shape.length == 1 && shape[0] == 0) continue;
            for (int d : shape) {
                if (d <= 0) {
                    throw new KernelException("Op#" + i + " (" + op.opCode().displayName() + ")" + where() + " has dynamic tensor #"
                            + t + " of shape " + Arrays.toString(shape) + "; dynamic tensors are not supported");
                }
            }
        }
    }

    /**
     * Runs every node once, in order (TFLM's InvokeSubgraph). A kernel's {@link InvokeAbort} ends the run early and
     * passes on to the caller, as TFLM's kTfLiteAbort does.
     */
    void invoke() {
        PreparedOp[] ns = nodes;
        if (ns == null) throw new MinnowException("subgraph " + index() + " is not prepared: call allocateTensors() first");
        int i = 0;
        try {
            for (; i < ns.length; i++) ns[i].eval();
        } catch (InvokeAbort | MinnowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KernelException(name(info.operators().get(i), i) + " failed during invoke: " + unexpected(e, info.operators().get(i)), e);
        }
    }

    /** Each kernel's reset (TFLM's ResetSubgraphs). */
    void resetNodes() {
        if (nodes == null) return;
        for (PreparedOp n : nodes) if (n != null) n.reset();
    }

    /** Releases the prepared nodes. */
    void close() { nodes = null; }

    /**
     * A kernel error no check caught, described with the node's tensors: a warmed-up JVM may throw such exceptions
     * without a message (OmitStackTraceInFastThrow), so the shapes are the numbers the message can always give.
     */
    private String unexpected(RuntimeException e, OperatorInfo op) {
        StringBuilder b = new StringBuilder(e.toString());
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length > 0) b.append(" at ").append(trace[0]);
        b.append("; inputs ");
        appendTensors(b, op.inputs());
        b.append(", outputs ");
        appendTensors(b, op.outputs());
        return b.toString();
    }

    private void appendTensors(StringBuilder b, int[] indices) {
        b.append('[');
        for (int k = 0; k < indices.length; k++) {
            if (k > 0) b.append(", ");
            int t = indices[k];
            b.append(t >= 0 && t < tensors.length ? tensors[t].describe() : String.valueOf(t));
        }
        b.append(']');
    }

    private String where() { return index() == 0 ? "" : " of subgraph " + index(); }

    private String name(OperatorInfo op, int i) { return op.opCode().displayName() + " (node " + i + where() + ")"; }

    // ---- what kernels see of a node during prepare ----

    /**
     * The prepare-time heap all kernels of one interpreter have reserved, against the budget's limit, and the loop
     * limit the budget gives kernels.
     */
    static final class HeapAccount {
        private final long limit;
        final dev.minnow.runtime.LoopBudget loops;
        private long used;

        HeapAccount(ModelBudget budget) {
            this.limit = budget.maxPrepareHeapBytes();
            this.loops = new dev.minnow.runtime.LoopBudget(budget.maxLoopIterations());
        }

        void reserve(long bytes, String what) {
            if (bytes < 0 || bytes > limit - used) {
                throw new dev.minnow.BudgetExceededException("bytes of prepare-time heap", used + Math.max(bytes, 0), limit, what,
                        "withMaxPrepareHeapBytes");
            }
            used += bytes;
        }

        /** Bytes reserved so far. */
        long used() { return used; }
    }

    /** A scratch buffer request of a node; planned with the arena, valid from the first eval on. */
    static final class Scratch implements ScratchBuffer {
        final int subgraph;
        final int node;
        final int k;
        final int size;
        byte[] data;
        int offset;

        Scratch(int subgraph, int node, int k, int size) {
            this.subgraph = subgraph;
            this.node = node;
            this.k = k;
            this.size = size;
        }

        @Override public int sizeBytes() { return size; }
        @Override public byte[] array() {
            if (data == null) throw new MinnowException("scratch buffer " + k + " of node " + node + " is not planned yet");
            return data;
        }
        @Override public int offset() { return offset; }
    }

    private final class Node implements NodeContext {
        private final int index;
        private final OperatorInfo op;
        private final SubgraphInvoker invoker;
        private final ResourceVariables resources;
        private final List<Scratch> scratches;
        private final Map<String, AtomicInteger> counters;
        private final HeapAccount heap;
        private final boolean fastKernels;
        private final IntraOpPool pool;

        Node(int index, OperatorInfo op, SubgraphInvoker invoker, ResourceVariables resources, List<Scratch> scratches,
             Map<String, AtomicInteger> counters, HeapAccount heap, boolean fastKernels, IntraOpPool pool) {
            this.pool = pool;
            this.heap = heap;
            this.index = index;
            this.op = op;
            this.invoker = invoker;
            this.resources = resources;
            this.scratches = scratches;
            this.counters = counters;
            this.fastKernels = fastKernels;
        }

        @Override public int nodeIndex() { return index; }
        @Override public boolean useFastKernels() { return fastKernels; }
        @Override public int threads() { return pool == null ? 1 : pool.threads(); }
        @Override public long minSplitWork() { return pool == null ? DEFAULT_MIN_SPLIT_WORK : pool.minSplitWork(); }

        @Override public dev.minnow.runtime.SplitTask split(dev.minnow.runtime.RangeTask task, int count, int minItems) {
            return pool == null ? () -> task.run(0, count) : pool.split(task, count, minItems);
        }
        @Override public int subgraphIndex() { return Subgraph.this.index(); }
        @Override public OpCode opCode() { return op.opCode(); }
        @Override public BuiltinOptions options() { return op.options(); }
        @Override public byte[] customOptions() { return op.customOptions(); }
        @Override public int inputCount() { return op.inputCount(); }

        @Override public Tensor input(int i) {
            if (i < 0 || i >= op.inputCount()) return null;
            int t = op.input(i);
            return t < 0 ? null : tensors[t];
        }

        @Override public int outputCount() { return op.outputCount(); }

        @Override public Tensor output(int i) {
            if (i < 0 || i >= op.outputCount()) throw fail("has %d outputs, kernel asked for output %d", op.outputCount(), i);
            return tensors[op.output(i)];
        }

        @Override public int intermediateCount() { return op.intermediates().length; }

        @Override public Tensor intermediate(int i) {
            int[] im = op.intermediates();
            if (i < 0 || i >= im.length || im[i] < 0) return null;
            return tensors[im[i]];
        }

        @Override public ScratchBuffer scratch(int k) {
            NodeFootprint footprint = footprints[index];
            if (footprint == null) throw fail("has no arena footprint to take scratch buffers from: %s", footprintErrors[index]);
            int[] declared = footprint.scratchBytes();
            if (k < 0 || k >= declared.length) {
                throw new IllegalStateException(name(op, index) + " asked for scratch buffer " + k
                        + " but its footprint declares " + declared.length);
            }
            int s = Subgraph.this.index();
            // this node's requests are the last ones made (prepare goes node by node)
            for (int j = scratches.size() - 1; j >= 0; j--) {
                Scratch x = scratches.get(j);
                if (x.subgraph != s || x.node != index) break;
                if (x.k == k) return x;
            }
            Scratch x = new Scratch(s, index, k, declared[k]);
            scratches.add(x);
            return x;
        }

        @Override public void reserveHeap(long bytes, String what) { heap.reserve(bytes, name(op, index) + ": " + what); }

        @Override public dev.minnow.runtime.LoopBudget loopBudget() { return heap.loops; }

        @Override public SubgraphInvoker subgraphs() { return invoker; }

        @Override public ResourceVariables resourceVariables() { return resources; }

        @Override public AtomicInteger interpreterCounter(String key) {
            return counters.computeIfAbsent(key, k -> new AtomicInteger());
        }
    }
}
