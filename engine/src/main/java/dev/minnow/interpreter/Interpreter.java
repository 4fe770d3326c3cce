package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.arena.ArenaPlanException;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.ArenaTooSmallException;
import dev.minnow.arena.MemoryPlan;
import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.ResourceVariablePlan;
import dev.minnow.arena.Target;
import dev.minnow.arena.TflmArena;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.InvokeAbort;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.SubgraphInvoker;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.TensorBinder;
import dev.minnow.runtime.WorkCount;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a model the way TFLite Micro does: {@link #allocateTensors()} resolves and prepares every node of every
 * subgraph and plans one tensor arena for all of them (activations in the head, variables in the tail);
 * {@link #invoke()} runs the main subgraph's prepared nodes in order and only moves data. Control-flow nodes (IF,
 * WHILE, CALL_ONCE) run the other subgraphs; models with VAR_HANDLE get resource variables, which keep their values
 * across invokes until {@link #reset()}. The API follows TFLite Java's {@code Interpreter}.
 * Not thread-safe: one interpreter per thread.
 */
public final class Interpreter implements AutoCloseable {
    /** TFLM's arena buffer alignment. */
    public static final int ALIGNMENT = 16;

    private final Model model;
    private final SubgraphInfo graph;
    private final InterpreterOptions options;
    private final TensorBinder binder = new TensorBinder();
    private final Subgraph[] subgraphs;
    private final Subgraph main;
    private final Invoker invoker = new Invoker();
    private ResourceVariableStore resources;
    private byte[] arena;
    private TflmArena tflmArena;
    private ArenaReport arenaReport;
    private boolean allocated;
    private boolean completed;
    private boolean closed;

    public Interpreter(Model model) { this(model, new InterpreterOptions()); }

    public Interpreter(Model model, InterpreterOptions options) {
        this.model = model;
        this.graph = model.mainSubgraph();
        this.options = options;
        List<SubgraphInfo> infos = model.subgraphs();
        this.subgraphs = new Subgraph[infos.size()];
        for (int s = 0; s < subgraphs.length; s++) subgraphs[s] = new Subgraph(infos.get(s), binder);
        this.main = subgraphs[0];
    }

    public Model model() { return model; }

    /**
     * Prepares every node of every subgraph and places the tensors in the arena. Throws
     * {@link UnsupportedOpException} for an op without a kernel, {@link KernelException} when a kernel rejects its
     * node, {@link ArenaTooSmallException} when the declared arena is too small.
     */
    public void allocateTensors() {
        requireOpen();
        if (allocated) return;
        options.budget().checkModel(model, options.arenaSize());
        for (Subgraph sg : subgraphs) sg.checkDense();
        // TFLM's order: every subgraph's registrations, then (after every Init) Prepare subgraph by subgraph.
        OpResolver resolver = options.opResolver();
        for (Subgraph sg : subgraphs) sg.resolve(resolver);
        Target target = options.target();
        for (Subgraph sg : subgraphs) sg.footprints(target);
        ResourceVariablePlan rvPlan = ResourceVariablePlan.of(model);
        resources = rvPlan.present() ? new ResourceVariableStore(rvPlan.capacity()) : null;
        List<Subgraph.Scratch> scratches = new ArrayList<>();
        Map<String, AtomicInteger> counters = new HashMap<>();
        Subgraph.HeapAccount heap = new Subgraph.HeapAccount(options.budget());
        for (Subgraph sg : subgraphs) {
            for (int i = 0; i < sg.nodeCount(); i++) sg.prepare(i, invoker, resources, scratches, counters, heap);
        }
        if (resources != null) {
            resources.endPrepare();
            List<Integer> planned = rvPlan.allocations().stream().map(ResourceVariablePlan.BufferAllocation::bytes).toList();
            if (!planned.equals(resources.allocatedBytes())) {
                throw new IllegalStateException("resource variable buffers allocated in prepare " + resources.allocatedBytes()
                        + " differ from the arena accounting's " + planned);
            }
        }
        NodeFootprint[][] footprints = new NodeFootprint[subgraphs.length][];
        for (Subgraph sg : subgraphs) footprints[sg.index()] = sg.footprints();
        options.budget().checkPlannedBuffers(model, footprints);
        planArena(new TflmArena(model, target, footprints), scratches);
        this.allocated = true;
    }

    /**
     * Judges the declared arena as TFLM would on the target, then lays out this interpreter's own memory by the same
     * plan: the planned head (activations and scratch buffers of every subgraph at TFLM's offsets), variables from the
     * end downwards.
     */
    private void planArena(TflmArena tflm, List<Subgraph.Scratch> scratches) {
        for (Subgraph sg : subgraphs) {
            for (OperatorInfo op : sg.info().operators()) {
                for (int t : op.intermediates()) {
                    Tensor x = t >= 0 ? sg.tensor(t) : null;
                    if (x != null && x.numBytes() != 0 && !x.isConstant()) {
                        throw new ArenaPlanException("node " + op.index() + (sg.index() == 0 ? "" : " of subgraph " + sg.index())
                                + " (" + op.opCode().displayName() + "): intermediate tensor #" + t + " has " + x.numBytes()
                                + " bytes; TFLM supports only zero-size intermediates");
                    }
                }
            }
        }
        int declared = options.arenaSize();
        long tflmUsed = tflm.simulate(declared == InterpreterOptions.SIZE_TO_FIT ? 1L << 40 : declared);
        if (tflmUsed < 0) throw new ArenaTooSmallException(tflm.minimumArenaBytes(), declared);
        this.tflmArena = tflm;
        MemoryPlan plan = tflm.plan();
        long tail = 0;
        for (Subgraph sg : subgraphs) {
            for (Tensor t : sg.tensors()) {
                if (t.isVariable() && !t.isConstant() && !plan.isPlanned(sg.index(), t.index())) tail += align(t.numBytes());
            }
        }
        long javaBytes = plan.headBytes() + tail;
        options.budget().checkArena(Math.max(javaBytes, declared));
        if (javaBytes > Integer.MAX_VALUE - 16) throw new ArenaTooSmallException(javaBytes, Integer.MAX_VALUE - 16);
        int size = (int) Math.max(javaBytes, declared);
        arena = allocate(size, "the tensor arena");
        for (Subgraph sg : subgraphs) {
            for (Tensor t : sg.tensors()) {
                if (plan.isPlanned(sg.index(), t.index())) binder.bind(t, arena, plan.tensorOffset(sg.index(), t.index()));
            }
        }
        // Scratch requests are numbered in prepare order: subgraph by subgraph, node by node, k within a node.
        int[][] firstRequest = new int[subgraphs.length][];
        int request = 0;
        for (Subgraph sg : subgraphs) {
            firstRequest[sg.index()] = new int[sg.nodeCount()];
            for (int i = 0; i < sg.nodeCount(); i++) {
                firstRequest[sg.index()][i] = request;
                request += tflm.footprint(sg.index(), i).scratchBytes().length;
            }
        }
        for (Subgraph.Scratch x : scratches) {
            x.data = arena;
            x.offset = plan.scratchOffset(firstRequest[x.subgraph][x.node] + x.k);
        }
        // Variables from the arena's end downwards, as TFLM's tail allocations grow.
        int top = size;
        for (Subgraph sg : subgraphs) {
            for (Tensor t : sg.tensors()) {
                if (t.isVariable() && !t.isConstant() && !t.isBound()) {
                    top -= align(t.numBytes());
                    binder.bind(t, arena, top);
                }
            }
        }
        // Tensors no node touches, empty ones and VAR_HANDLE's resource ids still get a home so accessors never fail.
        for (Subgraph sg : subgraphs) {
            for (Tensor t : sg.tensors()) if (!t.isBound()) binder.bind(t, allocate(t.numBytes(), "tensor " + t.describe()), 0);
        }
        resetVariableTensors();
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

    /**
     * Runs the main subgraph's prepared nodes once. Inputs must have been written since the previous invoke. A node may
     * end the run early without an error, as TFLM's kTfLiteAbort does (CIRCULAR_BUFFER between its strides); then
     * {@link #lastInvokeCompleted()} is false and the outputs are left as the nodes that ran made them.
     */
    public void invoke() {
        if (!allocated) allocateTensors();
        completed = false;
        try {
            main.invoke();
            completed = true;
        } catch (InvokeAbort e) {
            // ended early, as Invoke() returning kTfLiteAbort
        }
    }

    /** Whether the last {@link #invoke()} ran every node (false when a node ended it early, TFLM's kTfLiteAbort). */
    public boolean lastInvokeCompleted() { return completed; }

    /**
     * TFLM's {@code MicroInterpreter::Reset()}: returns the state kernels keep across invokes (such as the Signal
     * library's spectral-subtraction noise estimate) to its initial value, restores every variable tensor of every
     * subgraph and every resource variable to its default value (int8: the zero point it was allocated with; others:
     * zero), so the next invoke behaves like the first after allocation — except that, as in TFLM, a CALL_ONCE that
     * has run does not run again (its init subgraph's assignments are not replayed).
     */
    public void reset() {
        requireAllocated();
        for (Subgraph sg : subgraphs) sg.resetNodes();
        resetVariableTensors();
        if (resources != null) resources.resetAll();
    }

    /**
     * Restores every variable tensor of every subgraph to its initial value (int8: its zero point; others: zero).
     * State kernels keep outside tensors and resource variables are untouched; {@link #reset()} restores all.
     */
    public void resetVariableTensors() {
        for (Subgraph sg : subgraphs) {
            for (Tensor t : sg.tensors()) {
                if (!t.isVariable() || t.isConstant() || !t.isBound()) continue;
                byte fill = t.dataType() == DataType.INT8 ? (byte) t.zeroPoint() : 0;
                Arrays.fill(t.array(), t.offset(), t.offset() + t.numBytes(), fill);
            }
        }
    }

    public int getInputTensorCount() { return main.inputCount(); }
    public int getOutputTensorCount() { return main.outputCount(); }

    public Tensor getInputTensor(int i) {
        if (i < 0 || i >= main.inputCount()) throw new IllegalArgumentException("input " + i + " out of range: the model has " + main.inputCount());
        return main.input(i);
    }

    public Tensor getOutputTensor(int i) {
        if (i < 0 || i >= main.outputCount()) throw new IllegalArgumentException("output " + i + " out of range: the model has " + main.outputCount());
        return main.output(i);
    }

    /** Index of the input with this tensor name, or -1. */
    public int getInputIndex(String name) {
        for (int i = 0; i < main.inputCount(); i++) if (main.input(i).name().equals(name)) return i;
        return -1;
    }

    public int getOutputIndex(String name) {
        for (int i = 0; i < main.outputCount(); i++) if (main.output(i).name().equals(name)) return i;
        return -1;
    }

    /** Any tensor of the main subgraph by index. */
    public Tensor getTensor(int index) { return getTensor(0, index); }

    /** Tensor {@code index} of subgraph {@code subgraph} (0 = the main subgraph). */
    public Tensor getTensor(int subgraph, int index) {
        Subgraph sg = subgraph(subgraph);
        if (index < 0 || index >= sg.tensorCount()) {
            throw new IllegalArgumentException("tensor " + index + " out of range: subgraph " + subgraph + " has " + sg.tensorCount());
        }
        return sg.tensor(index);
    }

    /** Number of tensors of the main subgraph. */
    public int getTensorCount() { return main.tensorCount(); }

    /** Number of subgraphs of the model. */
    public int getSubgraphCount() { return subgraphs.length; }

    private Subgraph subgraph(int s) {
        if (s < 0 || s >= subgraphs.length) throw new IllegalArgumentException("subgraph " + s + " out of range: the model has " + subgraphs.length);
        return subgraphs[s];
    }

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
        return main.descriptor(i).work().of(ops.get(i), graph);
    }

    /** TFLM's arena footprint of node {@code i} of the main subgraph on the options' target. */
    public NodeFootprint nodeFootprint(int i) { return nodeFootprint(0, i); }

    /** TFLM's arena footprint of node {@code i} of subgraph {@code subgraph} on the options' target. */
    public NodeFootprint nodeFootprint(int subgraph, int i) {
        requireAllocated();
        Subgraph sg = subgraph(subgraph);
        if (i < 0 || i >= sg.nodeCount()) throw new IllegalArgumentException("node " + i + " out of range: subgraph " + subgraph + " has " + sg.nodeCount());
        return tflmArena.footprint(subgraph, i);
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
        for (Subgraph sg : subgraphs) sg.close();
        allocated = false;
        closed = true;
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the interpreter is closed");
    }

    /** The model's subgraphs as control-flow kernels see them. */
    private final class Invoker implements SubgraphInvoker {
        @Override public int subgraphCount() { return subgraphs.length; }
        @Override public int inputCount(int s) { return subgraph(s).inputCount(); }
        @Override public int outputCount(int s) { return subgraph(s).outputCount(); }

        @Override public Tensor input(int s, int i) {
            Subgraph sg = subgraph(s);
            if (i < 0 || i >= sg.inputCount()) throw new IllegalArgumentException("input " + i + " out of range: subgraph " + s + " has " + sg.inputCount());
            return sg.input(i);
        }

        @Override public Tensor output(int s, int i) {
            Subgraph sg = subgraph(s);
            if (i < 0 || i >= sg.outputCount()) throw new IllegalArgumentException("output " + i + " out of range: subgraph " + s + " has " + sg.outputCount());
            return sg.output(i);
        }

        @Override public void invoke(int s) { subgraph(s).invoke(); }
    }
}
