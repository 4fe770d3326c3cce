package dev.minnow.arena;

/**
 * What TFLM allocates in the arena for one node on one target: the parsed builtin params struct (tail, its own
 * alignment), the kernel's Init allocations (tail, 16-aligned), its Prepare allocations (tail, 16-aligned),
 * its scratch requests (planned head) and Prepare's script: the tensors whose temporary TfLiteTensor structs it
 * holds at once, in allocation order, with markers for where its persistent allocations happen and where it fills
 * them (they decide the minimum arena). {@code initMayFail} marks kernels whose Init allocation TFLM may fail to make
 * without failing AllocateTensors: Init returns the null pointer unchecked, and the node's Prepare and Eval never
 * touch it (ELU on float32), so an arena too small for that OpData is still accepted.
 */
public record NodeFootprint(int builtinBytes, int builtinAlign, int[] initBytes, int[] prepareBytes, int[] scratchBytes,
                            int[] tempTensors, boolean initMayFail) {
    /** A footprint whose Init allocations must succeed (every kernel but the few that ignore their OpData). */
    public NodeFootprint(int builtinBytes, int builtinAlign, int[] initBytes, int[] prepareBytes, int[] scratchBytes,
                         int[] tempTensors) {
        this(builtinBytes, builtinAlign, initBytes, prepareBytes, scratchBytes, tempTensors, false);
    }

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

    /**
     * For kernels whose Prepare interleaves persistent allocations with temporaries (TFLM_DECODE): allocates the next
     * of {@link #prepareBytes} not yet allocated, in order. Any use replaces {@link #PERSISTENT_HERE}'s all-at-once.
     */
    public static final int ALLOCATE_NEXT = -4;

    /** Prepare fills the buffer allocated by the last {@link #ALLOCATE_NEXT} (placement new, a copy). */
    public static final int WRITE_LAST = -5;

    /** Prepare deallocates every temporary it holds: their fields are no longer read back, so fills may overlap them. */
    public static final int RELEASE_TEMPS = -6;

    /** {@code WRITE_POINTER_SLOT - i}: Prepare stores a pointer into slot {@code i} of its first Prepare allocation. */
    public static final int WRITE_POINTER_SLOT = -1000;

    /** The footprint of a node that holds nothing in the arena. */
    public static final NodeFootprint NONE = new NodeFootprint(0, 1, new int[0], new int[0], new int[0], new int[0]);
}
