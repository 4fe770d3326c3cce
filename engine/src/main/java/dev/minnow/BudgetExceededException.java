package dev.minnow;

/**
 * A model asks for more than the budget for untrusted models allows (arena bytes, prepare-time heap, subgraphs,
 * operators, tensors, model bytes): the message names what, the amount asked for and the limit.
 */
public final class BudgetExceededException extends MinnowException {
    private final String resource;
    private final long requested;
    private final long limit;
    private final String option;

    /** The withers of the limits the default budget scales with the model, which ModelBudget.TRUSTED lifts. */
    private static final java.util.Set<String> SCALED = java.util.Set.of("withMaxArenaBytes", "withMaxPrepareHeapBytes",
            "withMaxPlannedBuffers");

    /** {@code context} needs {@code requested} units of {@code resource}, over the budget's {@code limit}. */
    public BudgetExceededException(String resource, long requested, long limit, String context) {
        this(resource, requested, limit, context, null);
    }

    /**
     * {@code context} needs {@code requested} units of {@code resource}, over the budget's {@code limit}, which the
     * {@code ModelBudget} wither {@code option} (e.g. "withMaxArenaBytes") lifts; null when no option lifts it.
     */
    public BudgetExceededException(String resource, long requested, long limit, String context, String option) {
        super(context + " needs " + requested + " " + resource + ", over the budget's limit of " + limit
                + (option == null ? "" : "; if the model is trusted, lift it with InterpreterOptions.setBudget("
                        + (SCALED.contains(option) ? "ModelBudget.TRUSTED) or setBudget(" : "")
                        + "ModelBudget.DEFAULT." + option + "(n))"));
        this.resource = resource;
        this.requested = requested;
        this.limit = limit;
        this.option = option;
    }

    /** What ran out ("arena bytes", "subgraphs", ...). */
    public String resource() { return resource; }

    /** The amount the model asked for. */
    public long requested() { return requested; }

    /** The budget's limit for it. */
    public long limit() { return limit; }

    /** The {@code ModelBudget} wither that lifts the limit ("withMaxArenaBytes", ...), or null. */
    public String option() { return option; }
}
