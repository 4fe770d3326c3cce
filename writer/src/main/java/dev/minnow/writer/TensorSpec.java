package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;

import java.util.Objects;

/**
 * One tensor to write into a subgraph.
 *
 * @param name           the tensor's name
 * @param type           element type
 * @param shape          dimensions (batch first); empty for a scalar
 * @param shapeSignature dimensions with -1 where unknown at conversion time; empty to leave it out
 * @param quantization   affine quantization, {@link Quantization#NONE} for none
 * @param isVariable     state kept across invokes (LSTM state)
 * @param buffer         index of the model buffer holding its data (0 = none, for activations and variables)
 * @param hasRank        the schema's has_rank flag
 */
public record TensorSpec(String name, DataType type, int[] shape, int[] shapeSignature, Quantization quantization,
                         boolean isVariable, int buffer, boolean hasRank) {
    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
        shapeSignature = shapeSignature == null ? new int[0] : shapeSignature.clone();
        quantization = quantization == null ? Quantization.NONE : quantization;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + java.util.Arrays.toString(shape));
        }
        if (buffer < 0) throw new IllegalArgumentException("tensor '" + name + "': negative buffer index " + buffer);
    }

    @Override public int[] shape() { return shape.clone(); }
    @Override public int[] shapeSignature() { return shapeSignature.clone(); }

    /** Number of elements of the shape. */
    public long elementCount() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** A copy with another name. */
    public TensorSpec withName(String newName) {
        return new TensorSpec(newName, type, shape, shapeSignature, quantization, isVariable, buffer, hasRank);
    }

    /** A copy with other quantization. */
    public TensorSpec withQuantization(Quantization q) {
        return new TensorSpec(name, type, shape, shapeSignature, q, isVariable, buffer, hasRank);
    }
}
