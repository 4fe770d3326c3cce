package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.arena.ArenaPlanException;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.ArenaTooSmallException;
import dev.minnow.arena.MemoryPlan;
import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.arena.TflmArena;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OpCode;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.ScratchBuffer;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.TensorBinder;
import dev.minnow.runtime.WorkCount;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs the main subgraph of a model the way TFLite Micro does: {@link #allocateTensors()} resolves and prepares
 * every node and plans the tensor arena (activations in the head, variables in the tail); {@link #invoke()} runs
 * the prepared nodes in order and only moves data. The API follows TFLite Java's {@code Interpreter}.
 * Not thread-safe: one interpreter per thread.
 */
public final class Interpreter implements AutoCloseable {
    /** TFLM's arena buffer alignment. */
    public static final int ALIGNMENT = 16;

    private final Model model;
    private final SubgraphInfo graph;
    private final InterpreterOptions options;
    private final TensorBinder binder = new TensorBinder();
    private final Tensor[] tensors;
    private PreparedOp[] nodes;
    private OpDescriptor[] descriptors;
    private byte[] arena;
    private TflmArena tflmArena;
    private ArenaReport arenaReport;
    private boolean allocated;
    private boolean closed;

    public Interpreter(Model model) { this(model, new InterpreterOptions()); }

    public Interpreter(Model model, InterpreterOptions options) {
        this.model = model;
        this.graph = model.mainSubgraph();
        this.options = options;
        List<TensorInfo> infos = graph.tensors();
        this.tensors = new Tensor[infos.size()];
        for (int i = 0; i < tensors.length; i++) tensors[i] = binder.create(infos.get(i));
    }

    public Model model() { return model; }

    /**
     * Prepares every node and places the tensors in the arena. Throws {@link UnsupportedOpException} for an op
     * without a kernel, {@link KernelException} when a kernel rejects its node, {@link ArenaTooSmallException}
     * when the declared arena is too small.
     */
    public void allocateTensors() {
        requireOpen();
        if (allocated) return;
        OpResolver resolver = options.opResolver();
        List<OperatorInfo> ops = graph.operators();
        for (TensorInfo t : graph.tensors()) {
            if (t.isSparse()) {
                throw new KernelException("tensor #" + t.index() + " '" + t.name() + "' is sparse; sparse tensors are not supported");
            }
        }
        OpDescriptor[] descriptors = new OpDescriptor[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            OpCode code = ops.get(i).opCode();
            descriptors[i] = resolver.find(code);
            if (descriptors[i] == null) throw new UnsupportedOpException(code, i);
        }
        Target target = options.target();
        NodeFootprint[] footprints = new NodeFootprint[ops.size()];
        PreparedOp[] prepared = new PreparedOp[ops.size()];
        List<Scratch> scratches = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            OperatorInfo op = ops.get(i);
            // The footprint declares the node's scratch buffers; a node too malformed to have one is rejected by its
            // kernel first (with the kernel's message), and only otherwise by the arena accounting.
            RuntimeException footprintError = null;
            try {
                footprints[i] = descriptors[i].footprint().of(op, graph, target);
            } catch (RuntimeException e) {
                footprintError = e;
            }
            Node node = new Node(i, op, footprints[i], footprintError, scratches);
            try {
                prepared[i] = descriptors[i].kernel().get().prepare(node);
            } catch (KernelException e) {
                throw e;
            } catch (MinnowException e) {
                throw new KernelException(op.opCode().displayName() + " (node " + i + "): " + e.getMessage(), e);
            } catch (RuntimeException e) {
                // A kernel check we missed must still surface as a rejection that names the node, never as a raw error.
                throw new KernelException(op.opCode().displayName() + " (node " + i + ") cannot be prepared: " + e, e);
            }
            if (prepared[i] == null) throw new IllegalStateException("kernel for " + op.opCode() + " returned no prepared op");
            if (footprintError != null) {
                throw new ArenaPlanException("node " + i + " (" + op.opCode().displayName()
                        + ") has tensors the arena accounting cannot read: " + footprintError, footprintError);
            }
            checkStaticOutputs(op);
        }
        planArena(ops, new TflmArena(model, target, footprints), scratches);
        this.descriptors = descriptors;
        this.nodes = prepared;
        this.allocated = true;
    }

    /**
     * Judges the declared arena as TFLM would on the target, then lays out this interpreter's own memory by the same
     * plan: the planned head (activations and scratch buffers at TFLM's offsets), variables from the end downwards.
     */
    private void planArena(List<OperatorInfo> ops, TflmArena tflm, List<Scratch> scratches) {
        for (OperatorInfo op : ops) {
            for (int t : op.intermediates()) {
                if (t >= 0 && tensors[t].numBytes() != 0 && !tensors[t].isConstant()) {
                    throw new ArenaPlanException("node " + op.index() + " (" + op.opCode().displayName()
                            + "): intermediate tensor #" + t + " has " + tensors[t].numBytes()
                            + " bytes; TFLM supports only zero-size intermediates");
                }
            }
        }
        int declared = options.arenaSize();
        long tflmUsed = tflm.simulate(declared == InterpreterOptions.SIZE_TO_FIT ? 1L << 40 : declared);
        if (tflmUsed < 0) throw new ArenaTooSmallException(tflm.minimumArenaBytes(), declared);
        this.tflmArena = tflm;
        MemoryPlan plan = tflm.plan();
        long tail = 0;
        for (Tensor t : tensors) {
            if (t.isVariable() && !t.isConstant() && !plan.isPlanned(t.index())) tail += align(t.numBytes());
        }
        long javaBytes = plan.headBytes() + tail;
        if (javaBytes > Integer.MAX_VALUE - 16) throw new ArenaTooSmallException(javaBytes, Integer.MAX_VALUE - 16);
        int size = (int) Math.max(javaBytes, declared);
        arena = allocate(size, "the tensor arena");
        for (Tensor t : tensors) {
            if (plan.isPlanned(t.index())) binder.bind(t, arena, plan.tensorOffset(t.index()));
        }
        int request = 0;
        for (int i = 0; i < ops.size(); i++) {
            int count = tflm.footprint(i).scratchBytes().length;
            for (Scratch s : scratches) {
                if (s.node == i) {
                    s.data = arena;
                    s.offset = plan.scratchOffset(request + s.k);
                }
            }
            request += count;
        }
        // Variables from the arena's end downwards, as TFLM's tail allocations grow.
        int top = size;
        for (Tensor t : tensors) {
            if (t.isVariable() && !t.isConstant() && !t.isBound()) {
                top -= align(t.numBytes());
                binder.bind(t, arena, top);
            }
        }
        // Tensors no node touches (and empty ones) still get a home so accessors never fail.
        for (Tensor t : tensors) if (!t.isBound()) binder.bind(t, allocate(t.numBytes(), "tensor " + t.describe()), 0);
        resetVariableTensors();
    }

    /** TFLM rejects outputs with a dimension <= 0 (other than the shape [0]): dynamic tensors are not supported. */
    private void checkStaticOutputs(OperatorInfo op) {
        for (int t : op.outputs()) {
            int[] shape = tensors[t].shape();
            if (shape.length == 1 && shape[0] == 0) continue;
            for (int d : shape) {
                if (d <= 0) {
                    throw new KernelException("Op#" + op.index() + " (" + op.opCode().displayName() + ") has dynamic tensor #"
                            + t + " of shape " + Arrays.toString(shape) + "; dynamic tensors are not supported");
                }
            }
        }
    }

    /** A zeroed array; a heap too small for it is reported as a minnow error, not as an OutOfMemoryError. */
    private static byte[] allocate(int bytes, String what) {
        try {
            return new byte[bytes];
        } catch (OutOfMemoryError e) {
            throw new MinnowException("cannot allocate " + bytes + " bytes for " + what + ": the Java heap is too small");
        }
    }

    private static int align(long bytes) { return (int) ((bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT); }

    /** Runs the prepared nodes once. Inputs must have been written since the previous invoke. */
    public void invoke() {
        if (!allocated) allocateTensors();
        PreparedOp[] ns = nodes;
        int i = 0;
        try {
            for (; i < ns.length; i++) ns[i].eval();
        } catch (MinnowException e) {
            throw e;
        } catch (RuntimeException e) {
            OperatorInfo op = graph.operators().get(i);
            throw new KernelException(op.opCode().displayName() + " (node " + i + ") failed during invoke: " + e);
        }
    }

    /**
     * TFLM's {@code MicroInterpreter::Reset()}: returns the state kernels keep across invokes (such as the Signal
     * library's spectral-subtraction noise estimate) to its initial value and restores every variable tensor, so the
     * next invoke behaves like the first after allocation.
     */
    public void reset() {
        requireAllocated();
        for (PreparedOp n : nodes) n.reset();
        resetVariableTensors();
    }

    /**
     * Restores every variable tensor to its initial value (int8: its zero point; others: zero). State kernels keep
     * outside tensors is untouched; {@link #reset()} restores both.
     */
    public void resetVariableTensors() {
        for (Tensor t : tensors) {
            if (!t.isVariable() || t.isConstant() || !t.isBound()) continue;
            byte fill = t.dataType() == DataType.INT8 ? (byte) t.zeroPoint() : 0;
            Arrays.fill(t.array(), t.offset(), t.offset() + t.numBytes(), fill);
        }
    }

    public int getInputTensorCount() { return graph.inputs().length; }
    public int getOutputTensorCount() { return graph.outputs().length; }

    public Tensor getInputTensor(int i) {
        int[] in = graph.inputs();
        if (i < 0 || i >= in.length) throw new IllegalArgumentException("input " + i + " out of range: the model has " + in.length);
        return tensors[in[i]];
    }

    public Tensor getOutputTensor(int i) {
        int[] out = graph.outputs();
        if (i < 0 || i >= out.length) throw new IllegalArgumentException("output " + i + " out of range: the model has " + out.length);
        return tensors[out[i]];
    }

    /** Index of the input with this tensor name, or -1. */
    public int getInputIndex(String name) {
        int[] in = graph.inputs();
        for (int i = 0; i < in.length; i++) if (tensors[in[i]].name().equals(name)) return i;
        return -1;
    }

    public int getOutputIndex(String name) {
        int[] out = graph.outputs();
        for (int i = 0; i < out.length; i++) if (tensors[out[i]].name().equals(name)) return i;
        return -1;
    }

    /** Any tensor of the main subgraph by index. */
    public Tensor getTensor(int index) {
        if (index < 0 || index >= tensors.length) throw new IllegalArgumentException("tensor " + index + " out of range: the subgraph has " + tensors.length);
        return tensors[index];
    }

    public int getTensorCount() { return tensors.length; }

    /**
     * TFLM's arena for this model on the options' target (mcu32 by default): used bytes, the minimum arena,
     * head/tail, breakdown and planned tensors. The one set of arena figures minnow reports; this interpreter's own
     * memory follows the same plan.
     */
    public ArenaReport arenaReport() {
        requireAllocated();
        if (arenaReport == null) arenaReport = ArenaReport.of(tflmArena);
        return arenaReport;
    }

    /** TFLM's {@code arena_used_bytes()} after AllocateTensors in the declared arena (mcu32 by default). */
    public long arenaUsedBytes() {
        requireAllocated();
        return tflmArena.simulate(options.arenaSize() == InterpreterOptions.SIZE_TO_FIT ? 1L << 40 : options.arenaSize());
    }

    /** The smallest arena TFLM's AllocateTensors accepts for this model on the options' target. */
    public long minimumArenaBytes() { return arenaReport().minimumArenaBytes(); }

    /**
     * The work of node {@code i} of the main subgraph in one invoke (multiply-accumulates, or element operations),
     * for cost models.
     */
    public WorkCount nodeWork(int i) {
        requireAllocated();
        List<OperatorInfo> ops = graph.operators();
        if (i < 0 || i >= ops.size()) throw new IllegalArgumentException("node " + i + " out of range: the subgraph has " + ops.size());
        return descriptors[i].work().of(ops.get(i), graph);
    }

    /** TFLM's arena footprint of node {@code i} of the main subgraph on the options' target. */
    public NodeFootprint nodeFootprint(int i) {
        requireAllocated();
        return tflmArena.footprint(i);
    }

    /** Runs a single-input, single-output model: copies {@code input} in, invokes, copies the output out. */
    public void run(Object input, Object output) {
        runForMultipleInputsOutputs(new Object[] {input}, Map.of(0, output));
    }

    /**
     * Copies each input (a primitive array of any rank matching the tensor's type, or a ByteBuffer of raw
     * bytes) into its tensor, invokes, and copies the listed outputs into the given arrays or buffers.
     */
    public void runForMultipleInputsOutputs(Object[] inputs, Map<Integer, Object> outputs) {
        allocateTensors();
        if (inputs.length != getInputTensorCount()) {
            throw new IllegalArgumentException("model has " + getInputTensorCount() + " inputs, got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) copyIn(getInputTensor(i), inputs[i]);
        invoke();
        for (var e : outputs.entrySet()) copyOut(getOutputTensor(e.getKey()), e.getValue());
    }

    private static void copyIn(Tensor t, Object src) {
        if (src instanceof ByteBuffer b) { t.copyFrom(b); return; }
        Object flat = flatten(src, t);
        if (flat instanceof float[] a) t.copyFrom(a);
        else if (flat instanceof int[] a) t.copyFrom(a);
        else if (flat instanceof long[] a) t.copyFrom(a);
        else if (flat instanceof short[] a) t.copyFrom(a);
        else if (flat instanceof byte[] a) t.copyFrom(a);
        else throw new IllegalArgumentException("cannot copy " + src.getClass().getSimpleName() + " into " + t);
    }

    private static void copyOut(Tensor t, Object dst) {
        if (dst instanceof ByteBuffer b) { t.copyTo(b); return; }
        if (dst.getClass().isArray() && dst.getClass().getComponentType().isPrimitive()) {
            if (dst instanceof float[] a) t.copyTo(a);
            else if (dst instanceof int[] a) t.copyTo(a);
            else if (dst instanceof long[] a) t.copyTo(a);
            else if (dst instanceof short[] a) t.copyTo(a);
            else if (dst instanceof byte[] a) t.copyTo(a);
            else throw new IllegalArgumentException("cannot copy " + t + " into " + dst.getClass().getSimpleName());
            return;
        }
        // Multi-dimensional: copy into a flat array, then scatter.
        Object flat = Array.newInstance(leafType(dst), t.numElements());
        copyOut(t, flat);
        int[] pos = {0};
        scatter(flat, dst, pos);
    }

    private static Class<?> leafType(Object a) {
        Class<?> c = a.getClass();
        while (c.isArray()) c = c.getComponentType();
        return c;
    }

    private static Object flatten(Object src, Tensor t) {
        if (!src.getClass().isArray()) throw new IllegalArgumentException("input must be an array or ByteBuffer, got " + src.getClass().getName());
        if (src.getClass().getComponentType().isPrimitive()) return src;
        Object flat = Array.newInstance(leafType(src), t.numElements());
        int[] pos = {0};
        gather(src, flat, pos, t);
        if (pos[0] != t.numElements()) {
            throw new IllegalArgumentException("input holds " + pos[0] + " elements, tensor " + t + " needs " + t.numElements());
        }
        return flat;
    }

    private static void gather(Object src, Object flat, int[] pos, Tensor t) {
        int n = Array.getLength(src);
        if (src.getClass().getComponentType().isPrimitive()) {
            if (pos[0] + n > Array.getLength(flat)) {
                throw new IllegalArgumentException("input holds more than the " + t.numElements() + " elements of tensor " + t);
            }
            System.arraycopy(src, 0, flat, pos[0], n);
            pos[0] += n;
        } else {
            for (int i = 0; i < n; i++) gather(Array.get(src, i), flat, pos, t);
        }
    }

    private static void scatter(Object flat, Object dst, int[] pos) {
        int n = Array.getLength(dst);
        if (dst.getClass().getComponentType().isPrimitive()) {
            if (pos[0] + n > Array.getLength(flat)) throw new IllegalArgumentException("output array is larger than the tensor");
            System.arraycopy(flat, pos[0], dst, 0, n);
            pos[0] += n;
        } else {
            for (int i = 0; i < n; i++) scatter(flat, Array.get(dst, i), pos);
        }
    }

    private void requireAllocated() {
        requireOpen();
        if (!allocated) throw new MinnowException("call allocateTensors() first");
    }

    /** Releases the arena; every later call fails, as with TFLite's {@code Interpreter.close()}. */
    @Override public void close() {
        arena = null;
        nodes = null;
        allocated = false;
        closed = true;
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the interpreter is closed");
    }

    // ---- what kernels see of a node during prepare ----

    private static final class Scratch implements ScratchBuffer {
        final int node;
        final int k;
        final int size;
        byte[] data;
        int offset;

        Scratch(int node, int k, int size) {
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
        private final NodeFootprint footprint;
        private final RuntimeException footprintError;
        private final List<Scratch> scratches;

        Node(int index, OperatorInfo op, NodeFootprint footprint, RuntimeException footprintError, List<Scratch> scratches) {
            this.index = index;
            this.op = op;
            this.footprint = footprint;
            this.footprintError = footprintError;
            this.scratches = scratches;
        }

        @Override public int nodeIndex() { return index; }
        @Override public boolean useFastKernels() { return options.useFastKernels(); }
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
            if (footprint == null) throw fail("has no arena footprint to take scratch buffers from: %s", footprintError);
            int[] declared = footprint.scratchBytes();
            if (k < 0 || k >= declared.length) {
                throw new IllegalStateException(op.opCode().displayName() + " (node " + index + ") asked for scratch buffer " + k
                        + " but its footprint declares " + declared.length);
            }
            for (Scratch s : scratches) if (s.node == index && s.k == k) return s;
            Scratch s = new Scratch(index, k, declared[k]);
            scratches.add(s);
            return s;
        }

    }
}
