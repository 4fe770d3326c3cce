package dev.minnow.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor as the model describes it. {@code constantData} is null for tensors whose value is computed at run
 * time (activations, inputs, variables without initial data).
 */
public record TensorInfo(int index, String name, DataType type, int[] shape, int[] shapeSignature,
                         Quantization quantization, boolean isVariable, int bufferIndex, byte[] constantData,
                         boolean isSparse) {
    public TensorInfo {
        shape = shape.clone();
        shapeSignature = shapeSignature.clone();
        constantData = constantData == null ? null : constantData.clone();
    }

    @Override public int[] shape() { return shape.clone(); }
    @Override public int[] shapeSignature() { return shapeSignature.clone(); }
    /** A copy of the constant bytes (little-endian), or null. */
    @Override public byte[] constantData() { return constantData == null ? null : constantData.clone(); }

    public boolean isConstant() { return constantData != null; }

    public int rank() { return shape.length; }

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
                && Arrays.equals(constantData, t.constantData) && isSparse == t.isSparse;
    }
    @Override public int hashCode() { return index * 31 + name.hashCode() + Arrays.hashCode(shape); }
    @Override public String toString() {
        return "Tensor#" + index + " '" + name + "' " + type.lowerName() + Arrays.toString(shape)
                + (isConstant() ? " const" : "") + (isVariable ? " variable" : "");
    }
}
