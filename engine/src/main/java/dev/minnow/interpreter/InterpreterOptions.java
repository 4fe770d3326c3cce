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
}
