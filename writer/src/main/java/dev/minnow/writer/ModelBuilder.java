package dev.minnow.writer;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.runtime.Tensor;
import dev.minnow.schema.tflite.Buffer;
import dev.minnow.schema.tflite.Metadata;
import dev.minnow.schema.tflite.Operator;
import dev.minnow.schema.tflite.OperatorCode;
import dev.minnow.schema.tflite.QuantizationParameters;
import dev.minnow.schema.tflite.SubGraph;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .tflite} flatbuffer: tensors (activations, constants, variables), operators with builtin options
 * given by schema field name (as {@link BuiltinOptions} reads them), inputs, outputs and metadata, in the main
 * subgraph and in further subgraphs ({@link #addSubgraph}) for control-flow operators. Used by tests and generators;
 * the result loads with {@link Model#load(byte[])}.
 */
public final class ModelBuilder {
    private record TensorSpec(String name, DataType type, int[] shape, Quantization quantization, byte[] data, boolean variable) {}
    private record OpSpec(int opcode, int[] inputs, int[] outputs, int[] intermediates, String optionsType,
                          Map<String, Object> options, byte[] customOptions) {}

    private final List<int[]> opcodes = new ArrayList<>();      // {builtinCode, version}
    private final List<String> customCodes = new ArrayList<>();
    private final Map<String, byte[]> metadata = new LinkedHashMap<>();
    private final List<Subgraph> subgraphs = new ArrayList<>(List.of(new Subgraph(0, "main")));
    private String description = "minnow ModelBuilder";

    /**
     * One subgraph of the model: its tensors, operators, inputs and outputs. The builder's own {@code add...} and
     * {@code set...} methods act on the main subgraph (index 0).
     */
    public final class Subgraph {
        private final int index;
        private final String name;
        private final List<TensorSpec> tensors = new ArrayList<>();
        private final List<OpSpec> ops = new ArrayList<>();
        private int[] inputs = new int[0];
        private int[] outputs = new int[0];

        private Subgraph(int index, String name) {
            this.index = index;
            this.name = name;
        }

        /** The subgraph's index in the model (what IF, WHILE and CALL_ONCE options name). */
        public int index() { return index; }

        /** Adds a run-time tensor (activation); returns its index in this subgraph. */
        public int addTensor(String name, DataType type, int[] shape, Quantization quantization) {
            tensors.add(new TensorSpec(name, type, shape.clone(), quantization == null ? Quantization.NONE : quantization, null, false));
            return tensors.size() - 1;
        }

        /** Adds a constant tensor with its little-endian data; returns its index in this subgraph. */
        public int addConstant(String name, DataType type, int[] shape, Quantization quantization, byte[] data) {
            tensors.add(new TensorSpec(name, type, shape.clone(), quantization == null ? Quantization.NONE : quantization, data.clone(), false));
            return tensors.size() - 1;
        }

        /** Adds a variable tensor (state kept across invokes); returns its index in this subgraph. */
        public int addVariable(String name, DataType type, int[] shape, Quantization quantization) {
            tensors.add(new TensorSpec(name, type, shape.clone(), quantization == null ? Quantization.NONE : quantization, null, true));
            return tensors.size() - 1;
        }

        /** Adds an operator by builtin name with options of the schema table {@code optionsType} (null for none). */
        public Subgraph addOperator(String builtinName, int version, int[] in, int[] out, String optionsType,
                                    Map<String, Object> options) {
            return addOperator(builtinName, version, in, out, new int[0], optionsType, options);
        }

        public Subgraph addOperator(String builtinName, int version, int[] in, int[] out, int[] intermediates,
                                    String optionsType, Map<String, Object> options) {
            int code = builtinCode(builtinName);
            ops.add(new OpSpec(opcode(code, version, null), in.clone(), out.clone(), intermediates.clone(), optionsType,
                    options == null ? Map.of() : new LinkedHashMap<>(options), null));
            return this;
        }

        /** Adds a custom operator with raw (flexbuffer) options. */
        public Subgraph addCustomOperator(String customCode, int version, int[] in, int[] out, byte[] customOptions) {
            ops.add(new OpSpec(opcode(builtinCode("CUSTOM"), version, customCode), in.clone(), out.clone(), new int[0], null,
                    Map.of(), customOptions == null ? new byte[0] : customOptions.clone()));
            return this;
        }

        public Subgraph setInputs(int... tensorIndices) { this.inputs = tensorIndices.clone(); return this; }

        public Subgraph setOutputs(int... tensorIndices) { this.outputs = tensorIndices.clone(); return this; }
    }

    /** Adds a subgraph after the main one and those added before; its {@link Subgraph#index()} is its place. */
    public Subgraph addSubgraph(String name) {
        Subgraph s = new Subgraph(subgraphs.size(), name);
        subgraphs.add(s);
        return s;
    }

    /** The main subgraph (index 0), which the builder's own methods fill. */
    public Subgraph main() { return subgraphs.get(0); }

    /** Adds a run-time tensor (activation) to the main subgraph; returns its index. */
    public int addTensor(String name, DataType type, int[] shape, Quantization quantization) {
        return main().addTensor(name, type, shape, quantization);
    }

    /** Adds a constant tensor with its little-endian data to the main subgraph; returns its index. */
    public int addConstant(String name, DataType type, int[] shape, Quantization quantization, byte[] data) {
        return main().addConstant(name, type, shape, quantization, data);
    }

    /** Adds a variable tensor (state kept across invokes) to the main subgraph; returns its index. */
    public int addVariable(String name, DataType type, int[] shape, Quantization quantization) {
        return main().addVariable(name, type, shape, quantization);
    }

    /**
     * Adds an operator by builtin name ("CONV_2D") with options of the schema table {@code optionsType}
     * ("Conv2DOptions", or null for none) given as field name to value (ints, floats, booleans, strings, int[]).
     */
    public ModelBuilder addOperator(String builtinName, int version, int[] in, int[] out, String optionsType,
                                    Map<String, Object> options) {
        return addOperator(builtinName, version, in, out, new int[0], optionsType, options);
    }

    public ModelBuilder addOperator(String builtinName, int version, int[] in, int[] out, int[] intermediates,
                                    String optionsType, Map<String, Object> options) {
        main().addOperator(builtinName, version, in, out, intermediates, optionsType, options);
        return this;
    }

    /** Adds a custom operator with raw (flexbuffer) options to the main subgraph. */
    public ModelBuilder addCustomOperator(String customCode, int version, int[] in, int[] out, byte[] customOptions) {
        main().addCustomOperator(customCode, version, in, out, customOptions);
        return this;
    }

    public ModelBuilder setInputs(int... tensorIndices) { main().setInputs(tensorIndices); return this; }

    public ModelBuilder setOutputs(int... tensorIndices) { main().setOutputs(tensorIndices); return this; }

    public ModelBuilder addMetadata(String name, byte[] data) { metadata.put(name, data.clone()); return this; }

    public ModelBuilder setDescription(String description) { this.description = description; return this; }

    private int opcode(int builtin, int version, String custom) {
        for (int i = 0; i < opcodes.size(); i++) {
            if (opcodes.get(i)[0] == builtin && opcodes.get(i)[1] == version && java.util.Objects.equals(customCodes.get(i), custom)) return i;
        }
        opcodes.add(new int[] {builtin, version});
        customCodes.add(custom);
        return opcodes.size() - 1;
    }

    private static int builtinCode(String name) {
        String[] names = dev.minnow.schema.tflite.BuiltinOperator.names;
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        throw new IllegalArgumentException("unknown builtin operator " + name);
    }

    /** Serialises the model. */
    public byte[] build() {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        // Buffers: 0 is the empty sentinel, then one per constant (subgraph by subgraph), then one per metadata entry.
        List<Integer> bufferOffsets = new ArrayList<>();
        Buffer.startBuffer(b);
        bufferOffsets.add(Buffer.endBuffer(b));
        List<int[]> tensorBuffers = new ArrayList<>();
        for (Subgraph sg : subgraphs) {
            int[] tensorBuffer = new int[sg.tensors.size()];
            for (int i = 0; i < sg.tensors.size(); i++) {
                TensorSpec t = sg.tensors.get(i);
                if (t.data == null) continue;
                b.startVector(1, t.data.length, 16);
                for (int k = t.data.length - 1; k >= 0; k--) b.addByte(t.data[k]);
                int data = b.endVector();
                bufferOffsets.add(Buffer.createBuffer(b, data, 0, 0));
                tensorBuffer[i] = bufferOffsets.size() - 1;
            }
            tensorBuffers.add(tensorBuffer);
        }
        List<Integer> metadataOffsets = new ArrayList<>();
        for (var e : metadata.entrySet()) {
            int data = Buffer.createDataVector(b, e.getValue());
            bufferOffsets.add(Buffer.createBuffer(b, data, 0, 0));
            int name = b.createString(e.getKey());
            metadataOffsets.add(Metadata.createMetadata(b, name, bufferOffsets.size() - 1));
        }
        int[] subgraphOffsets = new int[subgraphs.size()];
        for (Subgraph sg : subgraphs) subgraphOffsets[sg.index] = writeSubgraph(b, sg, tensorBuffers.get(sg.index));

        int[] codeOffsets = new int[opcodes.size()];
        for (int i = 0; i < opcodes.size(); i++) {
            int custom = customCodes.get(i) == null ? 0 : b.createString(customCodes.get(i));
            int code = opcodes.get(i)[0];
            codeOffsets[i] = OperatorCode.createOperatorCode(b, (byte) Math.min(code, 127), custom, opcodes.get(i)[1], code);
        }
        int codesVec = dev.minnow.schema.tflite.Model.createOperatorCodesVector(b, codeOffsets);
        int subgraphsVec = dev.minnow.schema.tflite.Model.createSubgraphsVector(b, subgraphOffsets);
        int desc = b.createString(description);
        int buffersVec = dev.minnow.schema.tflite.Model.createBuffersVector(b, bufferOffsets.stream().mapToInt(Integer::intValue).toArray());
        int metaVec = metadataOffsets.isEmpty() ? 0
                : dev.minnow.schema.tflite.Model.createMetadataVector(b, metadataOffsets.stream().mapToInt(Integer::intValue).toArray());
        dev.minnow.schema.tflite.Model.startModel(b);
        dev.minnow.schema.tflite.Model.addVersion(b, 3);
        dev.minnow.schema.tflite.Model.addOperatorCodes(b, codesVec);
        dev.minnow.schema.tflite.Model.addSubgraphs(b, subgraphsVec);
        dev.minnow.schema.tflite.Model.addDescription(b, desc);
        dev.minnow.schema.tflite.Model.addBuffers(b, buffersVec);
        if (metaVec != 0) dev.minnow.schema.tflite.Model.addMetadata(b, metaVec);
        int root = dev.minnow.schema.tflite.Model.endModel(b);
        dev.minnow.schema.tflite.Model.finishModelBuffer(b, root);
        return b.sizedByteArray();
    }

    private int writeSubgraph(FlatBufferBuilder b, Subgraph sg, int[] tensorBuffer) {
        int[] tensorOffsets = new int[sg.tensors.size()];
        for (int i = 0; i < sg.tensors.size(); i++) {
            TensorSpec t = sg.tensors.get(i);
            int name = b.createString(t.name);
            int shape = dev.minnow.schema.tflite.Tensor.createShapeVector(b, t.shape);
            int quant = 0;
            if (t.quantization.isQuantized()) {
                int scale = QuantizationParameters.createScaleVector(b, t.quantization.scales());
                int zp = QuantizationParameters.createZeroPointVector(b, t.quantization.zeroPoints());
                QuantizationParameters.startQuantizationParameters(b);
                QuantizationParameters.addScale(b, scale);
                QuantizationParameters.addZeroPoint(b, zp);
                QuantizationParameters.addQuantizedDimension(b, t.quantization.quantizedDimension());
                quant = QuantizationParameters.endQuantizationParameters(b);
            }
            dev.minnow.schema.tflite.Tensor.startTensor(b);
            dev.minnow.schema.tflite.Tensor.addShape(b, shape);
            dev.minnow.schema.tflite.Tensor.addType(b, (byte) t.type.code());
            dev.minnow.schema.tflite.Tensor.addBuffer(b, tensorBuffer[i]);
            dev.minnow.schema.tflite.Tensor.addName(b, name);
            if (quant != 0) dev.minnow.schema.tflite.Tensor.addQuantization(b, quant);
            if (t.variable) dev.minnow.schema.tflite.Tensor.addIsVariable(b, true);
            tensorOffsets[i] = dev.minnow.schema.tflite.Tensor.endTensor(b);
        }

        int[] opOffsets = new int[sg.ops.size()];
        for (int i = 0; i < sg.ops.size(); i++) {
            OpSpec op = sg.ops.get(i);
            int optionsOffset = 0;
            byte optionsTypeCode = 0;
            if (op.optionsType != null) {
                optionsTypeCode = optionsTypeCode(op.optionsType);
                optionsOffset = writeOptions(b, op.optionsType, op.options);
            }
            int in = Operator.createInputsVector(b, op.inputs);
            int out = Operator.createOutputsVector(b, op.outputs);
            int inter = op.intermediates.length > 0 ? Operator.createIntermediatesVector(b, op.intermediates) : 0;
            int custom = op.customOptions != null && op.customOptions.length > 0 ? Operator.createCustomOptionsVector(b, op.customOptions) : 0;
            Operator.startOperator(b);
            Operator.addOpcodeIndex(b, op.opcode);
            Operator.addInputs(b, in);
            Operator.addOutputs(b, out);
            if (optionsOffset != 0) {
                Operator.addBuiltinOptionsType(b, optionsTypeCode);
                Operator.addBuiltinOptions(b, optionsOffset);
            }
            if (custom != 0) Operator.addCustomOptions(b, custom);
            if (inter != 0) Operator.addIntermediates(b, inter);
            opOffsets[i] = Operator.endOperator(b);
        }
        int tensorsVec = SubGraph.createTensorsVector(b, tensorOffsets);
        int inputsVec = SubGraph.createInputsVector(b, sg.inputs);
        int outputsVec = SubGraph.createOutputsVector(b, sg.outputs);
        int opsVec = SubGraph.createOperatorsVector(b, opOffsets);
        int sgName = b.createString(sg.name);
        return SubGraph.createSubGraph(b, tensorsVec, inputsVec, outputsVec, opsVec, sgName, 0);
    }

    private static byte optionsTypeCode(String typeName) {
        String[] names = dev.minnow.schema.tflite.BuiltinOptions.names;
        for (int i = 0; i < names.length; i++) if (names[i].equals(typeName)) return (byte) i;
        throw new IllegalArgumentException("unknown builtin options type " + typeName);
    }

    /** Writes an options table through the generated class's static start/add/end methods. */
    private static int writeOptions(FlatBufferBuilder b, String typeName, Map<String, Object> values) {
        try {
            Class<?> c = Class.forName("dev.minnow.schema.tflite." + typeName);
            Map<String, Method> statics = new LinkedHashMap<>();
            for (Method m : c.getMethods()) if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) statics.put(m.getName(), m);
            // Vectors first: they must be finished before the table starts.
            Map<String, Integer> vectors = new LinkedHashMap<>();
            for (var e : values.entrySet()) {
                if (e.getValue() instanceof int[] arr) {
                    Method create = statics.get("create" + cap(e.getKey()) + "Vector");
                    if (create == null) throw new IllegalArgumentException(typeName + " has no vector field " + e.getKey());
                    vectors.put(e.getKey(), (Integer) create.invoke(null, b, arr));
                } else if (e.getValue() instanceof String str) {
                    vectors.put(e.getKey(), b.createString(str));
                }
            }
            statics.get("start" + typeName).invoke(null, b);
            for (var e : values.entrySet()) {
                Method add = statics.get("add" + cap(e.getKey()));
                if (add == null) throw new IllegalArgumentException(typeName + " has no field " + e.getKey());
                Class<?> p = add.getParameterTypes()[1];
                Object v = vectors.containsKey(e.getKey()) ? vectors.get(e.getKey()) : convert(e.getValue(), p);
                add.invoke(null, b, v);
            }
            return (Integer) statics.get("end" + typeName).invoke(null, b);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot write options " + typeName + ": " + e, e);
        }
    }

    private static Object convert(Object v, Class<?> p) {
        Number n = v instanceof Boolean bool ? (bool ? 1 : 0) : (Number) v;
        if (p == byte.class) return n.byteValue();
        if (p == short.class) return n.shortValue();
        if (p == int.class) return n.intValue();
        if (p == long.class) return n.longValue();
        if (p == float.class) return n.floatValue();
        if (p == boolean.class) return v instanceof Boolean bool ? bool : n.intValue() != 0;
        throw new IllegalArgumentException("unsupported option type " + p);
    }

    private static String cap(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}
