package dev.minnow.runtime;

import dev.minnow.model.TensorInfo;

/**
 * Creates tensors and gives them memory: the only way to bind a tensor to bytes, held by the interpreter that
 * created the tensors. Kernels see tensors, never a binder, so they cannot move data.
 */
public final class TensorBinder {
    /** A new unbound tensor (constants are bound to their model data at once). */
    public Tensor create(TensorInfo info) { return new Tensor(info, this); }

    /** Places {@code tensor} at {@code offset} in {@code data}; only for tensors this binder created. */
    public void bind(Tensor tensor, byte[] data, int offset) {
        if (tensor.binder() != this) throw new IllegalArgumentException("tensor " + tensor.describe() + " belongs to another interpreter");
        if (offset < 0 || (long) offset + tensor.numBytes() > data.length) {
            throw new IllegalArgumentException("tensor " + tensor.describe() + " of " + tensor.numBytes() + " bytes does not fit at offset "
                    + offset + " of " + data.length);
        }
        tensor.data = data;
        tensor.offset = offset;
    }
}
