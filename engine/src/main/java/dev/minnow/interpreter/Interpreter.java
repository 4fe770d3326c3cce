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
import dev.minnow.model.SignatureDef;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.InvokeAbort;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.LoopBudget;
import dev.minnow.runtime.SubgraphInvoker;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.TensorBinder;
import dev.minnow.runtime.WorkCount;

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
 *
 * <p>Tensors from {@link #getInputTensor}, {@link #getOutputTensor}, {@link #getTensor} and the signature getters are
 * the caller's views: data in through {@code copyFrom}, out through copies or a read-only buffer, never the arena.
 *
 * <p>Exceptions, one family per kind of mistake: the caller's arguments (a wrong shape, type, size, index or name,
 * a null or boxed array) are {@link IllegalArgumentException}s; a call in the wrong state (after {@link #close()},
 * or a figure asked for before {@link #allocateTensors()}) an {@link IllegalStateException}; a model the engine
 * cannot load, allocate or run a {@link MinnowException} ({@link UnsupportedOpException}, {@link KernelException},
 * {@link ArenaTooSmallException}, {@link ArenaPlanException}, {@code ModelFormatException}). Messages name the
 * tensor or node and the numbers.
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
    /** The caller's views of every tensor, by subgraph and index. */
    private final Tensor[][] views;
    private ResourceVariableStore resources;
    private byte[] arena;
    private TflmArena tflmArena;
    private ArenaReport arenaReport;
    private boolean allocated;
    private boolean completed;
    private boolean closed;
    private long lastInferenceNanos = -1;
    /** The intra-op workers when {@link InterpreterOptions#numThreads()} > 1 (made at allocateTensors), else null. */
    private IntraOpPool pool;
    private long prepareHeapBytes;
    private LoopBudget loops;

    /** An interpreter for {@code model} with default options (arena sized to fit, mcu32, every builtin kernel). */
    public Interpreter(Model model) { this(model, new InterpreterOptions()); }

    /** An interpreter for {@code model}; nothing is prepared until {@link #allocateTensors()} (or the first run). */
    public Interpreter(Model model, InterpreterOptions options) {
        if (model == null) throw new IllegalArgumentException("model is null");
        if (options == null) throw new IllegalArgumentException("options is null");
        this.model = model;
        this.graph = model.mainSubgraph();
        this.options = options;
        List<SubgraphInfo> infos = model.subgraphs();
        this.subgraphs = new Subgraph[infos.size()];
        for (int s = 0; s < subgraphs.length; s++) subgraphs[s] = new Subgraph(infos.get(s), binder);
        this.main = subgraphs[0];
        this.views = new Tensor[subgraphs.length][];
        for (Subgraph sg : subgraphs) {
            views[sg.index()] = new Tensor[sg.tensorCount()];
            for (int t = 0; t < sg.tensorCount(); t++) views[sg.index()][t] = binder.userView(sg.tensor(t));
        }
    }

    /** The model this interpreter runs. */
    public Model model() { requireOpen(); return model; }

    /**
     * Prepares every node of every subgraph and places the tensors in the arena. Throws
     * {@link UnsupportedOpException} for an op without a kernel, {@link KernelException} when a kernel rejects its
     * node, {@link ArenaTooSmallException} when the declared arena is too small.
     */
    public void allocateTensors() {
        requireOpen();
        if (allocated) return;
        ModelBudget budget = options.budget().forModel(model.sizeBytes(), options.arenaSize());
        budget.checkModel(model, options.arenaSize());
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
        Subgraph.HeapAccount heap = new Subgraph.HeapAccount(budget);
        loops = heap.loops;
        if (options.numThreads() > 1 && pool == null) {
            pool = new IntraOpPool(options.numThreads(), options.executor(), options.minSplitWork());
            // an interpreter dropped without close() still stops its pool's threads (they hold the pool, not this)
            PoolCleaner.CLEANER.register(this, pool::close);
        }
        for (Subgraph sg : subgraphs) {
            for (int i = 0; i < sg.nodeCount(); i++) {
                sg.prepare(i, invoker, resources, scratches, counters, heap, options.useFastKernels(), pool);
            }
        }
        prepareHeapBytes = heap.used();
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
        budget.checkPlannedBuffers(model, footprints);
        planArena(new TflmArena(model, target, footprints), scratches, budget);
        this.allocated = true;
    }

    /**
     * Judges the declared arena as TFLM would on the target, then lays out this interpreter's own memory by the same
     * plan: the planned head (activations and scratch buffers of every subgraph at TFLM's offsets), variables from the
     * end downwards.
     */
    private void planArena(TflmArena tflm, List<Subgraph.Scratch> scratches, ModelBudget budget) {
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
        budget.checkArena(Math.max(javaBytes, declared));
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

    /** Heap bytes the kernels reserved in prepare for model-sized tables (against the budget); 0 before allocation. */
    long prepareHeapBytes() { return prepareHeapBytes; }

    /** Bytes of the Java tensor arena; 0 before allocation. */
    int arenaBytes() { return arena == null ? 0 : arena.length; }

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
    public void invoke() { invokeSubgraph(main); }

    /** Runs one subgraph's prepared nodes (the main one, or a signature's), timing the run. */
    private void invokeSubgraph(Subgraph sg) {
        if (!allocated) allocateTensors();
        completed = false;
        loops.restart();
        long start = System.nanoTime();
        try {
            sg.invoke();
            completed = true;
        } catch (InvokeAbort e) {
            // ended early, as Invoke() returning kTfLiteAbort
        } finally {
            lastInferenceNanos = System.nanoTime() - start;
        }
    }

    /** Whether the last {@link #invoke()} ran every node (false when a node ended it early, TFLM's kTfLiteAbort). */
    public boolean lastInvokeCompleted() { requireOpen(); return completed; }

    /**
     * How long the last invoke took, in nanoseconds (the engine's run of the nodes, without the copies of
     * {@link #run}); null before the first invoke. TFLite's name, kept for code written against it.
     */
    public Long getLastNativeInferenceDurationNanoseconds() {
        requireOpen();
        return lastInferenceNanos < 0 ? null : lastInferenceNanos;
    }

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
        requireOpen();
        for (Subgraph sg : subgraphs) {
            for (Tensor t : sg.tensors()) {
                if (!t.isVariable() || t.isConstant() || !t.isBound()) continue;
                byte fill = t.dataType() == DataType.INT8 ? (byte) t.zeroPoint() : 0;
                Arrays.fill(t.array(), t.offset(), t.offset() + t.numBytes(), fill);
            }
        }
    }

    /** Number of inputs of the main subgraph. */
    public int getInputTensorCount() { requireOpen(); return main.inputCount(); }
    /** Number of outputs of the main subgraph. */
    public int getOutputTensorCount() { requireOpen(); return main.outputCount(); }

    /** The caller's view of input {@code i} of the main subgraph. */
    public Tensor getInputTensor(int i) {
        requireOpen();
        if (i < 0 || i >= main.inputCount()) throw new IllegalArgumentException("input " + i + " out of range: the model has " + main.inputCount());
        return views[0][main.input(i).index()];
    }

    /** The caller's view of output {@code i} of the main subgraph. */
    public Tensor getOutputTensor(int i) {
        requireOpen();
        if (i < 0 || i >= main.outputCount()) throw new IllegalArgumentException("output " + i + " out of range: the model has " + main.outputCount());
        return views[0][main.output(i).index()];
    }

    /** Index of the input whose tensor has this name; an IllegalArgumentException naming the inputs otherwise, as TFLite. */
    public int getInputIndex(String name) {
        requireOpen();
        for (int i = 0; i < main.inputCount(); i++) if (main.input(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no input named '" + name + "'; the inputs are " + names(main, true));
    }

    /** Index of the output whose tensor has this name; an IllegalArgumentException naming the outputs otherwise, as TFLite. */
    public int getOutputIndex(String name) {
        requireOpen();
        for (int i = 0; i < main.outputCount(); i++) if (main.output(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no output named '" + name + "'; the outputs are " + names(main, false));
    }

    private static List<String> names(Subgraph sg, boolean inputs) {
        List<String> names = new ArrayList<>();
        int n = inputs ? sg.inputCount() : sg.outputCount();
        for (int i = 0; i < n; i++) names.add((inputs ? sg.input(i) : sg.output(i)).name());
        return names;
    }

    /** The caller's view of any tensor of the main subgraph by index. */
    public Tensor getTensor(int index) { return getTensor(0, index); }

    /** The caller's view of tensor {@code index} of subgraph {@code subgraph} (0 = the main subgraph). */
    public Tensor getTensor(int subgraph, int index) {
        requireOpen();
        Subgraph sg = subgraph(subgraph);
        if (index < 0 || index >= sg.tensorCount()) {
            throw new IllegalArgumentException("tensor " + index + " out of range: subgraph " + subgraph + " has " + sg.tensorCount());
        }
        return views[subgraph][index];
    }

    /** Number of tensors of the main subgraph. */
    public int getTensorCount() { requireOpen(); return main.tensorCount(); }

    /** Number of subgraphs of the model. */
    public int getSubgraphCount() { requireOpen(); return subgraphs.length; }

    // ---- signatures (the model's SignatureDefs), as TFLite's Interpreter exposes them ----

    /** The keys of the model's signatures, in model order; empty when it has none. */
    public String[] getSignatureKeys() {
        requireOpen();
        return model.signatureDefs().stream().map(SignatureDef::key).toArray(String[]::new);
    }

    /** The input names of signature {@code signatureKey} (null: the model's only signature), in model order. */
    public String[] getSignatureInputs(String signatureKey) {
        return signature(signatureKey).inputs().keySet().toArray(String[]::new);
    }

    /** The output names of signature {@code signatureKey} (null: the model's only signature), in model order. */
    public String[] getSignatureOutputs(String signatureKey) {
        return signature(signatureKey).outputs().keySet().toArray(String[]::new);
    }

    /** The caller's view of input {@code inputName} of signature {@code signatureKey} (null: the only signature). */
    public Tensor getInputTensorFromSignature(String inputName, String signatureKey) {
        SignatureDef sig = signature(signatureKey);
        return views[sig.subgraphIndex()][signatureTensor(sig, sig.inputs(), inputName, "input")];
    }

    /** The caller's view of output {@code outputName} of signature {@code signatureKey} (null: the only signature). */
    public Tensor getOutputTensorFromSignature(String outputName, String signatureKey) {
        SignatureDef sig = signature(signatureKey);
        return views[sig.subgraphIndex()][signatureTensor(sig, sig.outputs(), outputName, "output")];
    }

    /** {@link #runSignature(Map, Map, String)} on the model's only signature. */
    public void runSignature(Map<String, Object> inputs, Map<String, Object> outputs) { runSignature(inputs, outputs, null); }

    /**
     * Runs signature {@code signatureKey} (null: the model's only signature): copies every named input in (each
     * signature input must be given), invokes the signature's subgraph, and copies the named outputs out (any
     * subset; the others stay readable through {@link #getOutputTensorFromSignature}). Arrays and buffers are
     * checked as in {@link #runForMultipleInputsOutputs}.
     */
    public void runSignature(Map<String, Object> inputs, Map<String, Object> outputs, String signatureKey) {
        SignatureDef sig = signature(signatureKey);
        if (inputs == null) throw new IllegalArgumentException("inputs is null: signature '" + sig.key() + "' takes " + sig.inputs().keySet());
        if (outputs == null) throw new IllegalArgumentException("outputs is null: pass an empty map to read no outputs");
        for (String name : inputs.keySet()) signatureTensor(sig, sig.inputs(), name, "input");
        for (String name : outputs.keySet()) signatureTensor(sig, sig.outputs(), name, "output");
        List<String> missing = sig.inputs().keySet().stream().filter(k -> !inputs.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("signature '" + sig.key() + "' needs inputs " + missing + " too; it takes " + sig.inputs().keySet());
        }
        allocateTensors();
        Tensor[] v = views[sig.subgraphIndex()];
        List<Runnable> in = new ArrayList<>();
        for (var e : sig.inputs().entrySet()) {
            in.add(JavaArrays.input("signature '" + sig.key() + "' input '" + e.getKey() + "'", v[e.getValue()], inputs.get(e.getKey())));
        }
        List<Runnable> out = new ArrayList<>();
        for (var e : outputs.entrySet()) {
            out.add(JavaArrays.output("signature '" + sig.key() + "' output '" + e.getKey() + "'", v[sig.outputs().get(e.getKey())], e.getValue()));
        }
        in.forEach(Runnable::run);
        invokeSubgraph(subgraphs[sig.subgraphIndex()]);
        out.forEach(Runnable::run);
    }

    private SignatureDef signature(String key) {
        requireOpen();
        List<SignatureDef> sigs = model.signatureDefs();
        if (key == null) {
            if (sigs.size() == 1) return sigs.get(0);
            throw new IllegalArgumentException(sigs.isEmpty() ? "the model has no signatures"
                    : "the model has " + sigs.size() + " signatures " + Arrays.toString(getSignatureKeys()) + ": name one");
        }
        for (SignatureDef s : sigs) if (s.key().equals(key)) return s;
        throw new IllegalArgumentException("no signature '" + key + "'; the model's signatures are " + Arrays.toString(getSignatureKeys()));
    }

    private static int signatureTensor(SignatureDef sig, Map<String, Integer> names, String name, String kind) {
        Integer t = name == null ? null : names.get(name);
        if (t == null) throw new IllegalArgumentException("signature '" + sig.key() + "' has no " + kind + " '" + name + "'; its " + kind + "s are " + names.keySet());
        return t;
    }

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

    /**
     * TFLM's {@code arena_used_bytes()} after AllocateTensors in the declared arena (mcu32 by default): the bytes
     * TFLM occupies of {@link InterpreterOptions#arenaSize()} (the size you declare; when sized to fit, of an
     * unbounded arena). The smallest declared size that works is {@link #minimumArenaBytes()}; the two can differ by
     * the alignment of the arena's end, on which TFLM's used bytes depend.
     */
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

    /**
     * Runs a model with one input, copying output 0 into {@code output}: see {@link #runForMultipleInputsOutputs}
     * for what the arrays and buffers may be.
     */
    public void run(Object input, Object output) {
        requireOpen();
        Map<Integer, Object> outputs = new HashMap<>();
        outputs.put(0, output);
        runForMultipleInputsOutputs(new Object[] {input}, outputs);
    }

    /**
     * Copies each input into its tensor, invokes, and copies the listed outputs out, as TFLite's Java API does. An
     * input or output is a primitive array of the tensor's element type (float32: float, int32: int, int64: long,
     * int16: short, int8/uint8: byte, bool: boolean or its raw 0/1 bytes) with exactly the tensor's shape, or flat with its element count;
     * or a ByteBuffer (direct or heap) of its raw bytes in little-endian order (an input's remaining bytes must be
     * exactly the tensor's; an output is written at the buffer's position). A scalar tensor also takes a boxed value.
     * Everything is checked before anything is copied: a wrong shape, type or size, a boxed or ragged array, a null
     * or an unknown output index is an {@link IllegalArgumentException} naming the tensor and both shapes or sizes.
     */
    public void runForMultipleInputsOutputs(Object[] inputs, Map<Integer, Object> outputs) {
        requireOpen();
        if (inputs == null) throw new IllegalArgumentException("inputs is null: the model has " + main.inputCount() + " inputs");
        if (outputs == null) throw new IllegalArgumentException("outputs is null: pass an empty map to read no outputs");
        if (inputs.length != main.inputCount()) {
            throw new IllegalArgumentException("model has " + main.inputCount() + " inputs, got " + inputs.length);
        }
        List<Runnable> in = new ArrayList<>(inputs.length);
        for (int i = 0; i < inputs.length; i++) in.add(JavaArrays.input("input " + i, getInputTensor(i), inputs[i]));
        List<Runnable> out = new ArrayList<>(outputs.size());
        for (var e : outputs.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("output index is null");
            out.add(JavaArrays.output("output " + e.getKey(), getOutputTensor(e.getKey()), e.getValue()));
        }
        allocateTensors();
        in.forEach(Runnable::run);
        invoke();
        out.forEach(Runnable::run);
    }

    private void requireAllocated() {
        requireOpen();
        if (!allocated) throw new IllegalStateException("call allocateTensors() first");
    }

    /** Releases the arena; every later call fails, as with TFLite's {@code Interpreter.close()}. */
    @Override public void close() {
        if (pool != null) pool.close();
        arena = null;
        for (Subgraph sg : subgraphs) sg.close();
        binder.close();
        allocated = false;
        closed = true;
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("the interpreter is closed");
    }

    /** The cleaner that closes the intra-op pools of unreachable interpreters, its thread started on first use. */
    private static final class PoolCleaner {
        static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();
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
