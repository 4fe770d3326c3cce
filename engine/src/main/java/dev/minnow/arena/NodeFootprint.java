package dev.minnow.arena;

/**
 * What TFLM allocates in the arena for one node on one target: the parsed builtin params struct (tail, its own
 * alignment), the kernel's Init allocations (tail, 16-aligned), its Prepare allocations (tail, 16-aligned),
 * its scratch requests (planned head) and the temporary TfLiteTensors Prepare holds at once (for the minimum arena).
 */
public record NodeFootprint(int builtinBytes, int builtinAlign, int[] initBytes, int[] prepareBytes, int[] scratchBytes,
                            int tempBytesPeak) {
    public static final NodeFootprint NONE = new NodeFootprint(0, 1, new int[0], new int[0], new int[0], 0);
}
