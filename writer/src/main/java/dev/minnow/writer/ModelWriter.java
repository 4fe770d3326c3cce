package dev.minnow.writer;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OpCode;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SignatureDef;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.schema.tflite.Buffer;
import dev.minnow.schema.tflite.Metadata;
import dev.minnow.schema.tflite.Operator;
import dev.minnow.schema.tflite.OperatorCode;
import dev.minnow.schema.tflite.QuantizationParameters;
import dev.minnow.schema.tflite.SubGraph;
import dev.minnow.schema.tflite.TensorMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@code .tflite} flatbuffer: any number of subgraphs ({@link SubgraphWriter}), model buffers (buffer 0 is
 * the empty sentinel), operator codes (collected from the operators, first use first), metadata, signature defs and
 * the description. {@link #toByteArray()} serialises it with the flatc-generated schema classes; the result loads
 * with {@link Model#load(byte[])}.
 *
 * <p>{@link #write(Model)} writes a loaded model back (the round trip: reading the result gives the same tensors,
 * buffer indices, quantization, operators, options, signatures and metadata); {@link #from(Model)} gives an
 * editable copy. For single-subgraph models the {@code add...}/{@code set...} methods here act on the main
 * subgraph, so a model can be built without touching {@link SubgraphWriter} at all.
 */
public final class ModelWriter {
    /** Schema version written by current converters. */
    public static final long SCHEMA_VERSION = 3;
    /** Alignment of constant data inside the file, as the TFLite converter aligns buffers. */
    static final int BUFFER_ALIGNMENT = 16;

    private record Code(int builtin, String custom, int version) {}
    private record Meta(String name, int buffer) {}
    private record Signature(String key, int subgraph, Map<String, Integer> inputs, Map<String, Integer> outputs) {}

    private long version = SCHEMA_VERSION;
    private String description = "minnow";
    private final List<byte[]> buffers = new ArrayList<>();
    private final List<Code> codes = new ArrayList<>();
    private final List<SubgraphWriter> subgraphs = new ArrayList<>();
    private final List<Meta> metadata = new ArrayList<>();
    private final List<Signature> signatures = new ArrayList<>();

    /** An empty model: no subgraphs yet (the main one is created on first use), buffer 0 empty. */
    public ModelWriter() {
        buffers.add(null);
    }

    /** Sets the model description (e.g. "MLIR Converted."). */
    public ModelWriter setDescription(String description) { this.description = Objects.requireNonNull(description, "description"); return this; }

    /** The model description. */
    public String description() { return description; }

    /** Sets the schema version field (3 unless copying an older model). */
    public ModelWriter setSchemaVersion(long version) {
        if (version < 0 || version > 0xFFFFFFFFL) throw new IllegalArgumentException("schema version " + version + " is not a uint32");
        this.version = version;
        return this;
    }

    /** Adds a subgraph; the first one added is the main subgraph TFLM runs. */
    public SubgraphWriter addSubgraph(String name) {
        SubgraphWriter s = new SubgraphWriter(this, subgraphs.size(), name);
        subgraphs.add(s);
        return s;
    }

    /** Subgraph {@code i}. */
    public SubgraphWriter subgraph(int i) {
        if (i < 0 || i >= subgraphs.size()) throw new IndexOutOfBoundsException("subgraph " + i + " of " + subgraphs.size());
        return subgraphs.get(i);
    }

    /** Number of subgraphs. */
    public int subgraphCount() { return subgraphs.size(); }

    /** The main subgraph (index 0), created with the name "main" when the model has none yet. */
    public SubgraphWriter main() {
        if (subgraphs.isEmpty()) addSubgraph("main");
        return subgraphs.get(0);
    }

    /** Appends a model buffer holding a copy of {@code data} (null or empty: no data); returns its index. */
    public int addBuffer(byte[] data) {
        buffers.add(data == null || data.length == 0 ? null : data.clone());
        return buffers.size() - 1;
    }

    /** Number of model buffers, the sentinel buffer 0 included. */
    public int bufferCount() { return buffers.size(); }

    /** A copy of buffer {@code i}'s data, null when it holds none. */
    public byte[] buffer(int i) {
        if (i < 0 || i >= buffers.size()) throw new IndexOutOfBoundsException("buffer " + i + " of " + buffers.size());
        byte[] b = buffers.get(i);
        return b == null ? null : b.clone();
    }

    /**
     * Appends an operator code entry (normally implied by the operators; use it to keep a model's own code table,
     * unused or repeated entries included); returns its index.
     */
    public int addOperatorCode(int builtinCode, String customCode, int version) {
        codes.add(new Code(builtinCode, customCode, version));
        return codes.size() - 1;
    }

    /** Adds a metadata entry whose bytes go into a new buffer (names may repeat; readers take the last). */
    public ModelWriter addMetadata(String name, byte[] data) {
        Objects.requireNonNull(name, "name");
        metadata.add(new Meta(name, addBuffer(Objects.requireNonNull(data, "data"))));
        return this;
    }

    /** Adds a signature def: a named entry point with aliases for tensors of subgraph {@code subgraphIndex}. */
    public ModelWriter addSignature(String key, int subgraphIndex, Map<String, Integer> inputs, Map<String, Integer> outputs) {
        signatures.add(new Signature(Objects.requireNonNull(key, "key"), subgraphIndex,
                Collections.unmodifiableMap(new LinkedHashMap<>(inputs)), Collections.unmodifiableMap(new LinkedHashMap<>(outputs))));
        return this;
    }

    // ---- the main subgraph, for single-subgraph models ----

    /** Adds a run-time tensor to the main subgraph; returns its index. */
    public int addTensor(String name, DataType type, int[] shape, Quantization quantization) {
        return main().addTensor(name, type, shape, quantization);
    }

    /** Adds a constant tensor with its little-endian data to the main subgraph; returns its index. */
    public int addConstant(String name, DataType type, int[] shape, Quantization quantization, byte[] data) {
        return main().addConstant(name, type, shape, quantization, data);
    }

    /** Adds a variable tensor to the main subgraph; returns its index. */
    public int addVariable(String name, DataType type, int[] shape, Quantization quantization) {
        return main().addVariable(name, type, shape, quantization);
    }

    /** Appends a builtin operator to the main subgraph (options by schema table name and field map, or null). */
    public ModelWriter addOperator(String builtinName, int version, int[] in, int[] out, String optionsType,
                                   Map<String, Object> options) {
        main().addOperator(builtinName, version, in, out, new int[0], optionsType, options);
        return this;
    }

    /** Appends a builtin operator with intermediates to the main subgraph. */
    public ModelWriter addOperator(String builtinName, int version, int[] in, int[] out, int[] intermediates,
                                   String optionsType, Map<String, Object> options) {
        main().addOperator(builtinName, version, in, out, intermediates, optionsType, options);
        return this;
    }

    /** Appends a custom operator with raw (flexbuffer) options to the main subgraph. */
    public ModelWriter addCustomOperator(String customCode, int version, int[] in, int[] out, byte[] customOptions) {
        main().addCustomOperator(customCode, version, in, out, customOptions);
        return this;
    }

    /** Sets the main subgraph's inputs. */
    public ModelWriter setInputs(int... tensorIndices) { main().setInputs(tensorIndices); return this; }

    /** Sets the main subgraph's outputs. */
    public ModelWriter setOutputs(int... tensorIndices) { main().setOutputs(tensorIndices); return this; }

    /** Serialises the model (same as {@link #toByteArray()}). */
    public byte[] build() { return toByteArray(); }

    // ---- round trip ----

    /** Writes a loaded model back to flatbuffer bytes. */
    public static byte[] write(Model model) { return from(model).toByteArray(); }

    /**
     * An editable copy of a loaded model: same description, schema version, operator code table, subgraphs
     * (tensors with their buffer indices, operators, inputs, outputs), signatures and metadata. Buffers keep their
     * indices; metadata buffers follow the tensors' buffers.
     */
    public static ModelWriter from(Model model) {
        ModelWriter w = new ModelWriter();
        w.setDescription(model.description()).setSchemaVersion(model.schemaVersion());
        for (OpCode c : model.opCodes()) w.addOperatorCode(c.builtinCode(), c.customCode(), c.version());
        int maxBuffer = 0;
        for (SubgraphInfo sg : model.subgraphs()) for (TensorInfo t : sg.tensors()) maxBuffer = Math.max(maxBuffer, t.bufferIndex());
        byte[][] data = new byte[maxBuffer + 1][];
        for (SubgraphInfo sg : model.subgraphs()) {
            for (TensorInfo t : sg.tensors()) if (t.isConstant()) data[t.bufferIndex()] = t.constantData();
        }
        if (data[0] != null) w.buffers.set(0, data[0]);
        for (int i = 1; i <= maxBuffer; i++) w.addBuffer(data[i]);
        for (SubgraphInfo sg : model.subgraphs()) {
            SubgraphWriter s = w.addSubgraph(sg.name());
            for (TensorInfo t : sg.tensors()) {
                if (t.isSparse()) {
                    throw new IllegalArgumentException("tensor " + t.index() + " '" + t.name() + "' of subgraph " + sg.index()
                            + " is sparse; the model view keeps no sparsity parameters to write back");
                }
                s.addTensor(new TensorSpec(t.name(), t.type(), t.shape(), t.shapeSignature(), t.quantization(),
                        t.isVariable(), t.bufferIndex(), t.hasRank()));
            }
            for (OperatorInfo op : sg.operators()) {
                OpCode c = op.opCode();
                s.addOperator(new OperatorSpec(c.builtinCode(), c.customCode(), c.version(), op.inputs(), op.outputs(),
                        op.intermediates(), table(op.options()), op.customOptions(), table(op.builtinOptions2())));
            }
            s.setInputs(sg.inputs()).setOutputs(sg.outputs());
        }
        for (SignatureDef sig : model.signatureDefs()) w.addSignature(sig.key(), sig.subgraphIndex(), sig.inputs(), sig.outputs());
        model.metadata().forEach(w::addMetadata);
        return w;
    }

    private static OptionsTable table(BuiltinOptions o) {
        if (o.type().equals("NONE")) return OptionsTable.NONE;
        return new OptionsTable(o.type(), o.asMap(), o.isPresent());
    }

    // ---- serialisation ----

    /** Serialises the model; throws {@link IllegalStateException} naming the first dangling index. */
    public byte[] toByteArray() {
        if (subgraphs.isEmpty()) throw new IllegalStateException("model has no subgraphs");
        for (SubgraphWriter s : subgraphs) s.validate(buffers.size());
        for (Meta m : metadata) if (m.buffer >= buffers.size()) throw new IllegalStateException("metadata '" + m.name + "' buffer " + m.buffer);
        for (Signature sig : signatures) {
            if (sig.subgraph < 0 || sig.subgraph >= subgraphs.size()) {
                throw new IllegalStateException("signature '" + sig.key + "': subgraph " + sig.subgraph + " of " + subgraphs.size());
            }
            int n = subgraphs.get(sig.subgraph).tensorCount();
            for (var e : concat(sig.inputs, sig.outputs)) {
                if (e.getValue() == null || e.getValue() < 0 || e.getValue() >= n) {
                    throw new IllegalStateException("signature '" + sig.key + "' entry '" + e.getKey() + "': tensor "
                            + e.getValue() + " of " + n);
                }
            }
        }
        long dataBytes = 0;
        for (byte[] b : buffers) if (b != null) dataBytes += b.length + BUFFER_ALIGNMENT;
        if (dataBytes > Model.MAX_MODEL_BYTES - (1 << 20)) {
            throw new IllegalStateException("buffers hold " + dataBytes + " bytes, beyond the 2 GiB flatbuffer limit");
        }
        FlatBufferBuilder b = new FlatBufferBuilder((int) Math.min(Integer.MAX_VALUE - 8, dataBytes + 65536));

        // Constant data first: the builder writes back to front, so it ends up at the end of the file.
        int[] bufferOffsets = new int[buffers.size()];
        for (int i = 0; i < buffers.size(); i++) {
            byte[] d = buffers.get(i);
            int data = 0;
            if (d != null) {
                b.prep(BUFFER_ALIGNMENT, d.length);   // data 16-byte aligned, like the converter's buffers
                data = b.createByteVector(d);
            }
            Buffer.startBuffer(b);
            if (data != 0) Buffer.addData(b, data);
            bufferOffsets[i] = Buffer.endBuffer(b);
        }

        List<Code> used = new ArrayList<>(codes);
        int[] subgraphOffsets = new int[subgraphs.size()];
        for (int s = 0; s < subgraphs.size(); s++) subgraphOffsets[s] = writeSubgraph(b, subgraphs.get(s), used);

        int[] codeOffsets = new int[used.size()];
        for (int i = 0; i < used.size(); i++) {
            Code c = used.get(i);
            int custom = c.custom == null ? 0 : b.createString(c.custom);
            OperatorCode.startOperatorCode(b);
            OperatorCode.addDeprecatedBuiltinCode(b, (byte) Math.min(c.builtin, 127));
            if (custom != 0) OperatorCode.addCustomCode(b, custom);
            OperatorCode.addVersion(b, c.version);
            OperatorCode.addBuiltinCode(b, c.builtin);
            codeOffsets[i] = OperatorCode.endOperatorCode(b);
        }

        int[] metaOffsets = new int[metadata.size()];
        for (int i = 0; i < metadata.size(); i++) {
            int name = b.createString(metadata.get(i).name);
            metaOffsets[i] = Metadata.createMetadata(b, name, metadata.get(i).buffer);
        }
        int[] sigOffsets = new int[signatures.size()];
        for (int i = 0; i < signatures.size(); i++) sigOffsets[i] = writeSignature(b, signatures.get(i));

        int codesVec = dev.minnow.schema.tflite.Model.createOperatorCodesVector(b, codeOffsets);
        int subgraphsVec = dev.minnow.schema.tflite.Model.createSubgraphsVector(b, subgraphOffsets);
        int desc = b.createString(description);
        int buffersVec = dev.minnow.schema.tflite.Model.createBuffersVector(b, bufferOffsets);
        int metaVec = metaOffsets.length == 0 ? 0 : dev.minnow.schema.tflite.Model.createMetadataVector(b, metaOffsets);
        int sigVec = sigOffsets.length == 0 ? 0 : dev.minnow.schema.tflite.Model.createSignatureDefsVector(b, sigOffsets);
        dev.minnow.schema.tflite.Model.startModel(b);
        dev.minnow.schema.tflite.Model.addVersion(b, version);
        dev.minnow.schema.tflite.Model.addOperatorCodes(b, codesVec);
        dev.minnow.schema.tflite.Model.addSubgraphs(b, subgraphsVec);
        dev.minnow.schema.tflite.Model.addDescription(b, desc);
        dev.minnow.schema.tflite.Model.addBuffers(b, buffersVec);
        if (metaVec != 0) dev.minnow.schema.tflite.Model.addMetadata(b, metaVec);
        if (sigVec != 0) dev.minnow.schema.tflite.Model.addSignatureDefs(b, sigVec);
        int root = dev.minnow.schema.tflite.Model.endModel(b);
        dev.minnow.schema.tflite.Model.finishModelBuffer(b, root);
        return b.sizedByteArray();
    }

    private static int writeSubgraph(FlatBufferBuilder b, SubgraphWriter s, List<Code> codes) {
        List<TensorSpec> tensors = s.tensorList();
        int[] tensorOffsets = new int[tensors.size()];
        for (int i = 0; i < tensors.size(); i++) tensorOffsets[i] = writeTensor(b, tensors.get(i));
        List<OperatorSpec> ops = s.operators();
        int[] opOffsets = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) opOffsets[i] = writeOperator(b, ops.get(i), codeIndex(codes, ops.get(i)));
        int tensorsVec = SubGraph.createTensorsVector(b, tensorOffsets);
        int inputsVec = SubGraph.createInputsVector(b, s.inputs());
        int outputsVec = SubGraph.createOutputsVector(b, s.outputs());
        int opsVec = SubGraph.createOperatorsVector(b, opOffsets);
        int name = s.name().isEmpty() ? 0 : b.createString(s.name());
        SubGraph.startSubGraph(b);
        SubGraph.addTensors(b, tensorsVec);
        SubGraph.addInputs(b, inputsVec);
        SubGraph.addOutputs(b, outputsVec);
        SubGraph.addOperators(b, opsVec);
        if (name != 0) SubGraph.addName(b, name);
        return SubGraph.endSubGraph(b);
    }

    private static int codeIndex(List<Code> codes, OperatorSpec op) {
        for (int i = 0; i < codes.size(); i++) {
            Code c = codes.get(i);
            if (c.builtin == op.builtinCode() && c.version == op.version() && Objects.equals(c.custom, op.customCode())) return i;
        }
        codes.add(new Code(op.builtinCode(), op.customCode(), op.version()));
        return codes.size() - 1;
    }

    private static int writeTensor(FlatBufferBuilder b, TensorSpec t) {
        int name = b.createString(t.name());
        int shape = dev.minnow.schema.tflite.Tensor.createShapeVector(b, t.shape());
        int signature = t.shapeSignature().length == 0 ? 0 : dev.minnow.schema.tflite.Tensor.createShapeSignatureVector(b, t.shapeSignature());
        int quant = 0;
        Quantization q = t.quantization();
        if (q.isQuantized()) {
            int scale = QuantizationParameters.createScaleVector(b, q.scales());
            int zp = QuantizationParameters.createZeroPointVector(b, q.zeroPoints());
            QuantizationParameters.startQuantizationParameters(b);
            QuantizationParameters.addScale(b, scale);
            QuantizationParameters.addZeroPoint(b, zp);
            QuantizationParameters.addQuantizedDimension(b, q.quantizedDimension());
            quant = QuantizationParameters.endQuantizationParameters(b);
        }
        dev.minnow.schema.tflite.Tensor.startTensor(b);
        dev.minnow.schema.tflite.Tensor.addShape(b, shape);
        dev.minnow.schema.tflite.Tensor.addType(b, (byte) t.type().code());
        dev.minnow.schema.tflite.Tensor.addBuffer(b, t.buffer());
        dev.minnow.schema.tflite.Tensor.addName(b, name);
        if (quant != 0) dev.minnow.schema.tflite.Tensor.addQuantization(b, quant);
        if (t.isVariable()) dev.minnow.schema.tflite.Tensor.addIsVariable(b, true);
        if (signature != 0) dev.minnow.schema.tflite.Tensor.addShapeSignature(b, signature);
        if (t.hasRank()) dev.minnow.schema.tflite.Tensor.addHasRank(b, true);
        return dev.minnow.schema.tflite.Tensor.endTensor(b);
    }

    private static int writeOperator(FlatBufferBuilder b, OperatorSpec op, int codeIndex) {
        int options = writeOptions(b, OptionsWriter.BUILTIN, op.options());
        int options2 = writeOptions(b, OptionsWriter.BUILTIN_2, op.options2());
        int in = Operator.createInputsVector(b, op.inputs());
        int out = Operator.createOutputsVector(b, op.outputs());
        int inter = op.intermediates().length == 0 ? 0 : Operator.createIntermediatesVector(b, op.intermediates());
        byte[] customOptions = op.customOptions();
        int custom = customOptions.length == 0 ? 0 : Operator.createCustomOptionsVector(b, customOptions);
        Operator.startOperator(b);
        Operator.addOpcodeIndex(b, codeIndex);
        Operator.addInputs(b, in);
        Operator.addOutputs(b, out);
        if (!op.options().isNone()) {
            Operator.addBuiltinOptionsType(b, OptionsWriter.BUILTIN.typeCode(op.options().type()));
            if (options != 0) Operator.addBuiltinOptions(b, options);
        }
        if (custom != 0) Operator.addCustomOptions(b, custom);
        if (inter != 0) Operator.addIntermediates(b, inter);
        if (!op.options2().isNone()) {
            Operator.addBuiltinOptions2Type(b, OptionsWriter.BUILTIN_2.typeCode(op.options2().type()));
            if (options2 != 0) Operator.addBuiltinOptions2(b, options2);
        }
        return Operator.endOperator(b);
    }

    private static int writeOptions(FlatBufferBuilder b, OptionsWriter writer, OptionsTable t) {
        if (t.isNone() || !t.present()) return 0;
        return writer.write(b, t.type(), t.values());
    }

    private static int writeSignature(FlatBufferBuilder b, Signature sig) {
        int inputs = dev.minnow.schema.tflite.SignatureDef.createInputsVector(b, tensorMaps(b, sig.inputs));
        int outputs = dev.minnow.schema.tflite.SignatureDef.createOutputsVector(b, tensorMaps(b, sig.outputs));
        int key = b.createString(sig.key);
        dev.minnow.schema.tflite.SignatureDef.startSignatureDef(b);
        dev.minnow.schema.tflite.SignatureDef.addInputs(b, inputs);
        dev.minnow.schema.tflite.SignatureDef.addOutputs(b, outputs);
        dev.minnow.schema.tflite.SignatureDef.addSignatureKey(b, key);
        dev.minnow.schema.tflite.SignatureDef.addSubgraphIndex(b, sig.subgraph);
        return dev.minnow.schema.tflite.SignatureDef.endSignatureDef(b);
    }

    private static int[] tensorMaps(FlatBufferBuilder b, Map<String, Integer> m) {
        int[] out = new int[m.size()];
        int i = 0;
        for (var e : m.entrySet()) out[i++] = TensorMap.createTensorMap(b, b.createString(e.getKey()), e.getValue());
        return out;
    }

    private static List<Map.Entry<String, Integer>> concat(Map<String, Integer> a, Map<String, Integer> c) {
        List<Map.Entry<String, Integer>> l = new ArrayList<>(a.entrySet());
        l.addAll(c.entrySet());
        return l;
    }
}
