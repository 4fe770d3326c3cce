package dev.minnow.arena;

/**
 * The ABI TFLM runs on, which fixes the sizes and alignments of the runtime structs it keeps in the arena.
 * Sizes below are TFLM's structs as built with TF_LITE_STATIC_MEMORY (layouts in the comments).
 */
public enum Target {
    /** 32-bit ARM, AAPCS: 4-byte pointers and size_t; int64/double 8-aligned. The default: a microcontroller. */
    MCU32(4),
    /** x86-64 System V: 8-byte pointers and size_t. */
    HOST64(8);

    private final int pointer;

    Target(int pointer) { this.pointer = pointer; }

    /** Size of a pointer and of size_t. */
    public int pointerSize() { return pointer; }

    /** alignof of the allocator structs (they hold pointers). */
    public int structAlignment() { return pointer; }

    /** SingleArenaBufferAllocator: two vtable pointers, five pointers, intptr_t checksum, int count. */
    public int singleArenaBufferAllocator() { return this == HOST64 ? 72 : 36; }

    /** GreedyMemoryPlanner: vptr, 2 ints, 4 pointers, 2 ints, pointer, bool. */
    public int greedyMemoryPlanner() { return this == HOST64 ? 72 : 44; }

    /** MicroAllocator: vptr, 4 pointers, bool, size_t, pointer, size_t. */
    public int microAllocator() { return this == HOST64 ? 72 : 36; }

    /** MicroBuiltinDataAllocator: vptr and one pointer. */
    public int builtinDataAllocator() { return 2 * pointer; }

    /** SubgraphAllocations: node_and_registrations and tensors pointers. */
    public int subgraphAllocations() { return 2 * pointer; }

    /** TfLiteEvalTensor: data pointer, dims pointer, type enum. */
    public int evalTensor() { return this == HOST64 ? 24 : 12; }

    /** NodeAndRegistration: TfLiteNode (6 pointers + int) and a registration pointer. */
    public int nodeAndRegistration() { return this == HOST64 ? 64 : 32; }

    /** TfLiteTensor: quantization {enum, ptr}, params {float, int}, data, dims, size_t bytes, type, allocation type, bool. */
    public int tfLiteTensor() { return this == HOST64 ? 64 : 40; }

    /** TfLiteAffineQuantization: scale and zero-point array pointers, quantized dimension. */
    public int affineQuantization() { return this == HOST64 ? 24 : 12; }

    /** ScratchBufferRequest: size_t bytes, int node, int subgraph. */
    public int scratchBufferRequest() { return this == HOST64 ? 16 : 12; }

    /** ScratchBufferHandle: one pointer. */
    public int scratchBufferHandle() { return pointer; }

    /** AllocationInfo: size_t bytes, void** output_ptr, three ints, bool. */
    public int allocationInfo() { return this == HOST64 ? 32 : 24; }

    /** MicroResourceVariables: the table pointer and two ints (max and current count). */
    public int resourceVariables() { return this == HOST64 ? 16 : 12; }

    /** MicroResourceVariable: container, shared name and buffer pointers, size_t bytes, int8 default value. */
    public int resourceVariable() { return this == HOST64 ? 40 : 20; }

    /** Bytes the greedy planner needs per buffer: requirements (4 ints), two sort arrays, list entry (3 ints), offset. */
    public int plannerBytesPerBuffer() { return 40; }

    /** Bytes of a TfLiteIntArray with n entries: size plus data. */
    public static int intArrayBytes(int n) { return 4 + 4 * n; }

    /** The target's command-line and JSON name: "mcu32" or "host64". */
    public String id() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The target named {@code s} (case-insensitive); an {@link IllegalArgumentException} naming the accepted values otherwise. */
    public static Target parse(String s) {
        for (Target t : values()) if (t.id().equalsIgnoreCase(s)) return t;
        throw new IllegalArgumentException("unknown target '" + s + "' (mcu32 or host64)");
    }
}
