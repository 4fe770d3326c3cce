package dev.minnow.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An immutable, verified view of a {@code .tflite} model. Load with {@link #load(byte[])}, {@link #load(ByteBuffer)}
 * or {@link #load(Path)}; malformed bytes raise {@link ModelFormatException} and nothing else.
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

    Model(byte[] bytes, long schemaVersion, String description, List<OpCode> opCodes, List<SubgraphInfo> subgraphs,
          Map<String, byte[]> metadata) {
        this.bytes = bytes;
        this.schemaVersion = schemaVersion;
        this.description = description;
        this.opCodes = List.copyOf(opCodes);
        this.subgraphs = List.copyOf(subgraphs);
        this.metadata = Map.copyOf(metadata);
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
        long size = Files.size(path);
        if (size > MAX_MODEL_BYTES) {
            throw new ModelFormatException(path + ": " + size + " bytes exceeds the flatbuffer limit of " + MAX_MODEL_BYTES);
        }
        return ModelReader.read(Files.readAllBytes(path));
    }

    /** The schema version field of the model (3 for current converters). */
    public long schemaVersion() { return schemaVersion; }

    public String description() { return description; }

    public List<OpCode> opCodes() { return opCodes; }

    public List<SubgraphInfo> subgraphs() { return subgraphs; }

    /** The main subgraph (index 0), the one TFLM runs. */
    public SubgraphInfo mainSubgraph() { return subgraphs.get(0); }

    /** Metadata entries by name, each with a copy of its buffer's bytes. */
    public Map<String, byte[]> metadata() {
        var m = new java.util.TreeMap<String, byte[]>();
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
