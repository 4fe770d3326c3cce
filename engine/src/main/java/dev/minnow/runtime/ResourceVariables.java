package dev.minnow.runtime;

/**
 * The model's resource variables as VAR_HANDLE, ASSIGN_VARIABLE and READ_VARIABLE see them, TFLM's
 * {@code MicroResourceVariables}: a table of at most {@link #capacity()} variables found by container and shared
 * name, each with a buffer allocated by the first assignment its Prepare can identify, filled with a default value
 * (the value tensor's int8-cast zero point when it is quantized, else 0) on allocation and on
 * {@code Interpreter.reset()}. Values persist across invokes.
 *
 * <p>VAR_HANDLE's Prepare publishes the id it found on its output tensor ({@link #publishHandle}), as TFLM points that
 * tensor at the id kept in its OpData; a later Prepare reading the same tensor sees it ({@link #publishedHandle}).
 * At run time the handle tensor holds the id as an int32.
 */
public interface ResourceVariables {
    /** Maximum number of variables (TFLM's {@code max_num_variables}). */
    int capacity();

    /**
     * The id of the variable named ({@code container}, {@code sharedName}), created when none exists; -1 when the
     * table is full. A null container matches a variable of any container.
     */
    int findOrCreate(String container, String sharedName);

    /** Records during prepare that {@code handle} now holds variable {@code id}. */
    void publishHandle(Tensor handle, int id);

    /** The id {@link #publishHandle} recorded for {@code handle} earlier in prepare, or -1. */
    int publishedHandle(Tensor handle);

    /**
     * Allocates variable {@code id}'s buffer with {@code value}'s size and default value unless it has one (TFLM's
     * {@code Allocate}); returns whether it allocated. Throws {@link KernelException} for an unknown id.
     */
    boolean allocate(int id, Tensor value);

    /** Copies variable {@code id} into {@code out}; a {@link KernelException} when the id is unknown, the variable unallocated or the sizes differ. */
    void read(int id, Tensor out);

    /** Copies {@code value} into variable {@code id}; a {@link KernelException} when the id is unknown, the variable unallocated or the sizes differ. */
    void assign(int id, Tensor value);
}
