package dev.minnow.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as the model describes it.
 *
 * @param index          position in its subgraph's tensor list
 * @param name           the tensor's name ("" when the model stores none)
 * @param type           element type
 * @param shape          dimensions, outermost first; empty for a scalar
 * @param shapeSignature the shape with -1 for dimensions unknown at conversion time; empty when not stored
 * @param quantization   affine quantization as TFLM reads it, {@link Quantization#NONE} when unquantized
 * @param isVariable     whether the tensor is state kept across invokes (e.g. LSTM state)
 * @param bufferIndex    index into the model's buffers (0 = the empty sentinel)
 * @param constantData   the tensor's data when its buffer holds any (little-endian), null for tensors computed
 *                       at run time (activations, inputs, variables without initial data)
 * @param isSparse       whether the model stores sparsity parameters for the tensor (the data is then compressed)
 * @param hasRank        the schema's has_rank flag: true when an empty shape means a scalar rather than an
 *                       unknown rank
 */
public record TensorInfo(int index, String name, DataType type, int[] shape, int[] shapeSignature,
                         Quantization quantization, boolean isVariable, int bufferIndex, byte[] constantData,
                         boolean isSparse, boolean hasRank) {
    /** Copies the arrays. */
    public TensorInfo {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(quantization, "quantization");
        shape = shape.clone();
        shapeSignature = shapeSignature.clone();
        constantData = constantData == null ? null : constantData.clone();
    }

    /** A tensor without has_rank information (true when the shape is non-empty). */
    public TensorInfo(int index, String name, DataType type, int[] shape, int[] shapeSignature,
                      Quantization quantization, boolean isVariable, int bufferIndex, byte[] constantData,
                      boolean isSparse) {
        this(index, name, type, shape, shapeSignature, quantization, isVariable, bufferIndex, constantData, isSparse,
                shape.length > 0);
    }

    @Override public int[] shape() { return shape.clone(); }
    @Override public int[] shapeSignature() { return shapeSignature.clone(); }
    /** A copy of the constant bytes (little-endian), or null. */
    @Override public byte[] constantData() { return constantData == null ? null : constantData.clone(); }

    /** True when the model stores data for the tensor (weights, biases, constant shapes). */
    public boolean isConstant() { return constantData != null; }

    /** Length of the constant data in bytes, 0 when there is none (no copy is made). */
    public int constantDataLength() { return constantData == null ? 0 : constantData.length; }

    /** Number of dimensions (0 for a scalar). */
    public int rank() { return shape.length; }

    /** Dimension {@code i} of the shape. */
    public int dim(int i) { return shape[i]; }

    /** Product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Bytes of the tensor's data: element count times element size. */
    public long byteSize() { return elementCount() * type.byteSize(); }

    /** Read-only little-endian view of the constant data, or null. */
    public ByteBuffer constantBuffer() {
        return constantData == null ? null : ByteBuffer.wrap(constantData).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override public boolean equals(Object o) {
        return o instanceof TensorInfo t && index == t.index && name.equals(t.name) && type == t.type
                && Arrays.equals(shape, t.shape) && Arrays.equals(shapeSignature, t.shapeSignature)
                && quantization.equals(t.quantization) && isVariable == t.isVariable && bufferIndex == t.bufferIndex
                && Arrays.equals(constantData, t.constantData) && isSparse == t.isSparse && hasRank == t.hasRank;
    }
    @Override public int hashCode() { return index * 31 + name.hashCode() + Arrays.hashCode(shape); }
    @Override public String toString() {
        return "Tensor#" + index + " '" + name + "' " + type.lowerName() + Arrays.toString(shape)
                + (isConstant() ? " const" : "") + (isVariable ? " variable" : "");
    }
}
