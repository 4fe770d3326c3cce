package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One subgraph of a model being written: its tensors, operators in execution order, inputs and outputs. Created
 * by {@link ModelWriter#addSubgraph(String)}; constants added here store their data in the model's buffers.
 */
public final class SubgraphWriter {
    private final ModelWriter model;
    private final int index;
    private String name;
    private final List<TensorSpec> tensors = new ArrayList<>();
    private final List<OperatorSpec> operators = new ArrayList<>();
    private int[] inputs = new int[0];
    private int[] outputs = new int[0];

    SubgraphWriter(ModelWriter model, int index, String name) {
        this.model = model;
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Position of this subgraph in the model (0 = main). */
    public int index() { return index; }

    /** The subgraph's name. */
    public String name() { return name; }

    /** Renames the subgraph. */
    public SubgraphWriter setName(String name) { this.name = Objects.requireNonNull(name, "name"); return this; }

    /** The model this subgraph belongs to. */
    public ModelWriter model() { return model; }

    /** Adds a tensor as specified; returns its index. */
    public int addTensor(TensorSpec spec) {
        Objects.requireNonNull(spec, "spec");
        tensors.add(spec);
        return tensors.size() - 1;
    }

    /** Adds a run-time tensor (activation, input, output); returns its index. */
    public int addTensor(String name, DataType type, int[] shape, Quantization quantization) {
        return addTensor(new TensorSpec(name, type, shape, null, quantization, false, 0, false));
    }

    /** Adds a constant tensor whose little-endian data goes into a new model buffer; returns its index. */
    public int addConstant(String name, DataType type, int[] shape, Quantization quantization, byte[] data) {
        Objects.requireNonNull(data, "data");
        TensorSpec spec = new TensorSpec(name, type, shape, null, quantization, false, 0, false);
        long need = type.storageBytes(spec.elementCount());
        if (data.length < need) {
            throw new IllegalArgumentException("constant '" + name + "': " + data.length + " bytes for shape "
                    + java.util.Arrays.toString(shape) + " of " + type.lowerName() + ", which needs " + need);
        }
        int buffer = model.addBuffer(data);
        return addTensor(new TensorSpec(name, type, shape, null, quantization, false, buffer, false));
    }

    /** Adds a variable tensor (state kept across invokes, e.g. LSTM state); returns its index. */
    public int addVariable(String name, DataType type, int[] shape, Quantization quantization) {
        return addTensor(new TensorSpec(name, type, shape, null, quantization, true, 0, false));
    }

    /** Replaces tensor {@code i}'s specification (e.g. to set its quantization once known). */
    public SubgraphWriter setTensor(int i, TensorSpec spec) {
        checkTensor(i, "tensor");
        tensors.set(i, Objects.requireNonNull(spec, "spec"));
        return this;
    }

    /** Tensor {@code i} as specified so far. */
    public TensorSpec tensor(int i) {
        checkTensor(i, "tensor");
        return tensors.get(i);
    }

    /** Number of tensors so far. */
    public int tensorCount() { return tensors.size(); }

    /** Appends an operator; returns its index in execution order. */
    public int addOperator(OperatorSpec op) {
        operators.add(Objects.requireNonNull(op, "op"));
        return operators.size() - 1;
    }

    /**
     * Appends a builtin operator by schema name ("CONV_2D") with options of the schema table {@code optionsType}
     * ("Conv2DOptions", or null for none) given as field name to value.
     */
    public SubgraphWriter addOperator(String builtinName, int version, int[] in, int[] out, int[] intermediates,
                                      String optionsType, Map<String, Object> options) {
        addOperator(new OperatorSpec(OperatorSpec.builtinCode(builtinName), null, version, in, out, intermediates,
                OptionsTable.of(optionsType, options), null, null));
        return this;
    }

    /** Appends a builtin operator without intermediates (see the overload with them). */
    public SubgraphWriter addOperator(String builtinName, int version, int[] in, int[] out, String optionsType,
                                      Map<String, Object> options) {
        return addOperator(builtinName, version, in, out, new int[0], optionsType, options);
    }

    /** Appends a custom operator with raw (flexbuffer) options. */
    public SubgraphWriter addCustomOperator(String customCode, int version, int[] in, int[] out, byte[] customOptions) {
        addOperator(new OperatorSpec(OperatorSpec.builtinCode("CUSTOM"), Objects.requireNonNull(customCode, "customCode"),
                version, in, out, null, null, customOptions, null));
        return this;
    }

    /** Replaces operator {@code i} (e.g. to rewire its tensors). */
    public SubgraphWriter setOperator(int i, OperatorSpec op) {
        if (i < 0 || i >= operators.size()) throw new IllegalArgumentException("operator " + i + " out of range: the subgraph has " + operators.size());
        operators.set(i, Objects.requireNonNull(op, "op"));
        return this;
    }

    /** The operators so far, in execution order. */
    public List<OperatorSpec> operators() { return Collections.unmodifiableList(operators); }

    /** Sets the subgraph's input tensors. */
    public SubgraphWriter setInputs(int... tensorIndices) { this.inputs = tensorIndices.clone(); return this; }

    /** Sets the subgraph's output tensors. */
    public SubgraphWriter setOutputs(int... tensorIndices) { this.outputs = tensorIndices.clone(); return this; }

    /** The input tensor indices. */
    public int[] inputs() { return inputs.clone(); }

    /** The output tensor indices. */
    public int[] outputs() { return outputs.clone(); }

    List<TensorSpec> tensorList() { return tensors; }

    private void checkTensor(int i, String what) {
        if (i < 0 || i >= tensors.size()) {
            throw new IndexOutOfBoundsException(what + " index " + i + " out of range (subgraph " + index + " has " + tensors.size() + " tensors)");
        }
    }

    /** Checks every index before serialisation; messages name the object and the numbers. */
    void validate(int bufferCount) {
        String w = "subgraph " + index + " '" + name + "'";
        for (int i = 0; i < tensors.size(); i++) {
            TensorSpec t = tensors.get(i);
            if (t.buffer() >= bufferCount) {
                throw new IllegalStateException(w + " tensor " + i + " '" + t.name() + "': buffer " + t.buffer()
                        + " out of range (model has " + bufferCount + " buffers)");
            }
        }
        checkIndices(inputs, false, w + " inputs");
        checkIndices(outputs, false, w + " outputs");
        for (int k = 0; k < operators.size(); k++) {
            OperatorSpec op = operators.get(k);
            String o = w + " operator " + k + " (" + op.builtinName() + ")";
            checkIndices(op.inputs(), true, o + " inputs");
            checkIndices(op.outputs(), false, o + " outputs");
            checkIndices(op.intermediates(), true, o + " intermediates");
        }
    }

    private void checkIndices(int[] idx, boolean optional, String what) {
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] >= tensors.size() || idx[k] < (optional ? -1 : 0)) {
                throw new IllegalStateException(what + "[" + k + "] = " + idx[k] + " names no tensor (subgraph has "
                        + tensors.size() + ")");
            }
        }
    }
}
