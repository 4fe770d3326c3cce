package dev.minnow.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An immutable, verified view of a {@code .tflite} model. Load with {@link #load(byte[])}, {@link #load(ByteBuffer)}
 * or {@link #load(Path)}.
 *
 * <p>Loading verifies the whole flatbuffer before anything is read from it: the "TFL3" identifier; every offset,
 * table, vtable, field, vector and string inside the buffer and aligned as the FlatBuffers verifier requires; every
 * table the schema defines (including signature defs, sparsity, quantization details and builtin options); that
 * operator inputs, outputs and intermediates, subgraph inputs and outputs, metadata and signature entries index
 * real tensors, buffers and subgraphs; that opcode indices are in range; that constant buffers hold at least
 * what their tensor's shape and type need; that shapes have no negative dimension, rank at most 16 and sizes a
 * Java array can address. Any defect raises {@link ModelFormatException} whose message names the object (e.g.
 * {@code model.subgraphs[0].operators[3]}), the offending value and the limit; no other exception escapes for
 * malformed bytes, and the work done is bounded by the buffer's size.
 *
 * <p>The view holds copies of everything it exposes; arrays returned by accessors are copies as well.
 */
public final class Model {
    /** Largest model accepted, matching the flatbuffer format's 2 GiB limit. */
    public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    private final byte[] bytes;
    private final long schemaVersion;
    private final String description;
    private final List<OpCode> opCodes;
    private final List<SubgraphInfo> subgraphs;
    private final Map<String, byte[]> metadata;
    private final List<SignatureDef> signatureDefs;

    Model(byte[] bytes, long schemaVersion, String description, List<OpCode> opCodes, List<SubgraphInfo> subgraphs,
          Map<String, byte[]> metadata, List<SignatureDef> signatureDefs) {
        this.bytes = bytes;
        this.schemaVersion = schemaVersion;
        this.description = description;
        this.opCodes = List.copyOf(opCodes);
        this.subgraphs = List.copyOf(subgraphs);
        this.metadata = new java.util.LinkedHashMap<>(metadata);
        this.signatureDefs = List.copyOf(signatureDefs);
    }

    /** Verifies and reads a model; the array is copied, later changes to it have no effect. */
    public static Model load(byte[] modelBytes) {
        if (modelBytes == null) throw new ModelFormatException("model bytes are null");
        return ModelReader.read(modelBytes.clone());
    }

    /** Verifies and reads the remaining bytes of the buffer (its position is left unchanged). */
    public static Model load(ByteBuffer buffer) {
        if (buffer == null) throw new ModelFormatException("model buffer is null");
        ByteBuffer b = buffer.duplicate();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return ModelReader.read(copy);
    }

    /** Reads a model file. I/O problems surface as {@link IOException}, malformed content as {@link ModelFormatException}. */
    public static Model load(Path path) throws IOException {
        if (path == null) throw new ModelFormatException("model path is null");
        long size = Files.size(path);
        if (size > MAX_MODEL_BYTES) {
            throw new ModelFormatException(path + ": " + size + " bytes exceeds the flatbuffer limit of " + MAX_MODEL_BYTES);
        }
        return ModelReader.read(Files.readAllBytes(path));
    }

    /** The schema version field of the model (3 for current converters). */
    public long schemaVersion() { return schemaVersion; }

    /** The model's description string ("" when absent), e.g. "MLIR Converted.". */
    public String description() { return description; }

    /** The operator codes; operators refer to them by index. */
    public List<OpCode> opCodes() { return opCodes; }

    /** All subgraphs; control-flow ops (IF, WHILE, CALL_ONCE) refer to them by index. */
    public List<SubgraphInfo> subgraphs() { return subgraphs; }

    /** The signature defs (named entry points), empty when the model stores none. */
    public List<SignatureDef> signatureDefs() { return signatureDefs; }

    /** The main subgraph (index 0), the one TFLM runs. */
    public SubgraphInfo mainSubgraph() { return subgraphs.get(0); }

    /**
     * Metadata entries by name in model order, each with a copy of its buffer's bytes, e.g. "min_runtime_version"
     * or "OfflineMemoryAllocation". When names repeat, the last entry's bytes win, as TFLM's offline planner reads
     * them.
     */
    public Map<String, byte[]> metadata() {
        var m = new java.util.LinkedHashMap<String, byte[]>();
        metadata.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    /** Size of the flatbuffer in bytes (what the model occupies in flash). */
    public int sizeBytes() { return bytes.length; }

    /** A copy of the model's bytes. */
    public byte[] toByteArray() { return bytes.clone(); }

    @Override public String toString() {
        return "Model{" + bytes.length + " bytes, " + subgraphs.size() + " subgraph(s), ops=" + opCodes + "}";
    }
}
