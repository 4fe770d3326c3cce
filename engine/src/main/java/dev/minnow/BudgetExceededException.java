package dev.minnow;

/**
 * A model asks for more than the budget for untrusted models allows (arena bytes, prepare-time heap, subgraphs,
 * operators, tensors, model bytes): the message names what, the amount asked for and the limit.
 */
public final class BudgetExceededException extends MinnowException {
    private final String resource;
    private final long requested;
    private final long limit;

    /** {@code context} needs {@code requested} units of {@code resource}, over the budget's {@code limit}. */
    public BudgetExceededException(String resource, long requested, long limit, String context) {
        super(context + " needs " + requested + " " + resource + ", over the budget's limit of " + limit
                + " (raise it with InterpreterOptions.setBudget if the model is trusted)");
        this.resource = resource;
        this.requested = requested;
        this.limit = limit;
    }

    /** What ran out ("arena bytes", "subgraphs", ...). */
    public String resource() { return resource; }

    /** The amount the model asked for. */
    public long requested() { return requested; }

    /** The budget's limit for it. */
    public long limit() { return limit; }
}
