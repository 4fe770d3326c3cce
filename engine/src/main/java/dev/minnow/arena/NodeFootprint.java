package dev.minnow.arena;

/**
 * What TFLM allocates in the arena for one node on one target: the parsed builtin params struct (tail, its own
 * alignment), the kernel's Init allocations (tail, 16-aligned), its Prepare allocations (tail, 16-aligned),
 * its scratch requests (planned head) and Prepare's script: the tensors whose temporary TfLiteTensor structs it
 * holds at once, in allocation order, with markers for where its persistent allocations happen and where it fills
 * them (they decide the minimum arena).
 */
public record NodeFootprint(int builtinBytes, int builtinAlign, int[] initBytes, int[] prepareBytes, int[] scratchBytes,
                            int[] tempTensors) {
    /**
     * Marks, within {@link #tempTensors}, where Prepare makes its persistent allocations. Without it they come after
     * all temporaries and are filled at once.
     */
    public static final int PERSISTENT_HERE = -2;

    /**
     * Marks where Prepare fills the persistent buffers it allocated at {@link #PERSISTENT_HERE}; without it (but with
     * {@code PERSISTENT_HERE}) Prepare leaves them unwritten. Filling them must not overwrite the fields of a live
     * temporary that its deallocation reads back (the quantization type and params pointer, the zero-point pointer):
     * TFLM checks persistent allocations against the head only, so they may overlap temporaries, and a clobbered
     * pointer fails the temp-deallocation checksum.
     */
    public static final int WRITTEN_HERE = -3;

    public static final NodeFootprint NONE = new NodeFootprint(0, 1, new int[0], new int[0], new int[0], new int[0]);
}
