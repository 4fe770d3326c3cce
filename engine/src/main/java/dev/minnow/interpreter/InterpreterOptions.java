package dev.minnow.interpreter;

/** Options of an {@link Interpreter}: the arena size, the target, the budget for untrusted models, the op resolver and the fast-kernel switch. */
public final class InterpreterOptions {
    /** Arena size meaning "exactly what the model needs". */
    public static final int SIZE_TO_FIT = 0;

    /** System property that, set to {@code false}, makes reference kernels the default ({@code -Dminnow.fastKernels=false}). */
    public static final String FAST_KERNELS_PROPERTY = "minnow.fastKernels";

    private int arenaSizeBytes = SIZE_TO_FIT;
    private OpResolver opResolver;
    private ModelBudget budget = ModelBudget.DEFAULT;
    private dev.minnow.arena.Target target = dev.minnow.arena.Target.MCU32;
    private boolean useFastKernels = !"false".equalsIgnoreCase(System.getProperty(FAST_KERNELS_PROPERTY));
    private int numThreads = 1;
    private java.util.concurrent.Executor executor;
    private long minSplitWork = dev.minnow.runtime.NodeContext.DEFAULT_MIN_SPLIT_WORK;

    /** The tensor arena's size in bytes, like TFLM's {@code kTensorArenaSize}; 0 sizes it to fit. */
    public InterpreterOptions setArenaSize(int bytes) {
        if (bytes < 0) throw new IllegalArgumentException("arena size must be >= 0, got " + bytes);
        this.arenaSizeBytes = bytes;
        return this;
    }

    /** The declared arena size in bytes, 0 when the interpreter sizes the arena itself. */
    public int arenaSize() { return arenaSizeBytes; }

    /**
     * The device whose TFLM arena accounting applies: the declared arena size is checked against TFLM's minimum on
     * this target and {@link Interpreter#arenaUsedBytes()} reports TFLM's bytes there. Default: mcu32.
     */
    public InterpreterOptions setTarget(dev.minnow.arena.Target target) {
        this.target = java.util.Objects.requireNonNull(target, "target");
        return this;
    }

    /** The target whose arena layout is simulated (TFLM on a 32-bit MCU by default). */
    public dev.minnow.arena.Target target() { return target; }

    /**
     * What loading and allocating a model may cost ({@link ModelBudget#DEFAULT} unless set); a model over it is
     * refused with a {@link dev.minnow.BudgetExceededException} before the cost is paid.
     */
    public InterpreterOptions setBudget(ModelBudget budget) {
        this.budget = java.util.Objects.requireNonNull(budget, "budget");
        return this;
    }

    /** The budget for untrusted models; {@link ModelBudget#DEFAULT} unless set. */
    public ModelBudget budget() { return budget; }

    /** The op resolver; by default every builtin kernel. */
    public InterpreterOptions setOpResolver(OpResolver resolver) {
        this.opResolver = resolver;
        return this;
    }

    /** The op resolver. */
    public OpResolver opResolver() { return opResolver != null ? opResolver : new BuiltinOpResolver(); }

    /**
     * Whether kernels with a fast implementation (int8 and float32 FULLY_CONNECTED, CONV_2D, DEPTHWISE_CONV_2D with
     * constant weights) run it; their outputs are byte-identical to the reference loops'. {@code false} runs the
     * reference loops everywhere. Default: true, unless the system property {@value #FAST_KERNELS_PROPERTY} is false.
     */
    public InterpreterOptions setUseFastKernels(boolean use) {
        this.useFastKernels = use;
        return this;
    }

    /** Whether fast kernels run where they qualify. */
    public boolean useFastKernels() { return useFastKernels; }

    /** The most threads {@link #setNumThreads} accepts. */
    public static final int MAX_THREADS = 256;

    /**
     * Intra-op threads, like TFLite's {@code setNumThreads}: large fully-connected (and convolution) nodes split their
     * outputs over up to {@code n} threads, the invoking thread included; outputs are byte-identical to one thread's.
     * Default 1 (single-threaded). Without {@link #setExecutor an executor} the interpreter starts {@code n - 1} daemon
     * threads of its own when a node first needs them, and stops them on {@link Interpreter#close()} (or, without it, once
     * the garbage collector finds the interpreter unreachable).
     */
    public InterpreterOptions setNumThreads(int n) {
        if (n < 1 || n > MAX_THREADS) throw new IllegalArgumentException("number of threads must be in [1, " + MAX_THREADS + "], got " + n);
        this.numThreads = n;
        return this;
    }

    /** The intra-op threads per node, 1 by default. */
    public int numThreads() { return numThreads; }

    /**
     * The caller's executor for the intra-op ranges other than the invoking thread's (null, the default: the
     * interpreter's own threads). The interpreter never shuts it down; it must run each submitted range on a thread
     * of its own (not inline on a thread that waits for another range), and have {@code numThreads - 1} threads free.
     */
    public InterpreterOptions setExecutor(java.util.concurrent.Executor executor) {
        this.executor = executor;
        return this;
    }

    /** The caller's intra-op executor, or null for the interpreter's own threads. */
    public java.util.concurrent.Executor executor() { return executor; }

    /**
     * The fewest multiply-accumulates one intra-op range gets (default 65,536): nodes with less work per thread use
     * fewer threads, the smallest only the invoking thread. Lower it to split small nodes (tests do, to exercise the
     * splits on small models); outputs do not depend on it.
     */
    public InterpreterOptions setMinSplitWork(long macs) {
        if (macs < 1) throw new IllegalArgumentException("minimum split work must be >= 1, got " + macs);
        this.minSplitWork = macs;
        return this;
    }

    /** The fewest multiply-accumulates per intra-op range. */
    public long minSplitWork() { return minSplitWork; }
}
