package dev.minnow.runtime;

import dev.minnow.model.TensorInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Creates tensors and gives them memory: the only way to bind a tensor to bytes, held by the interpreter that
 * created the tensors. Kernels see tensors, never a binder, so they cannot move data.
 */
public final class TensorBinder {
    private final List<Tensor> created = new ArrayList<>();
    private boolean closed;

    /** A new unbound tensor (constants are bound to their model data at once). */
    public Tensor create(TensorInfo info) {
        Tensor t = new Tensor(info, this);
        created.add(t);
        return t;
    }

    /**
     * The caller's view of a tensor this binder created: the same metadata and data, read through copies and
     * read-only buffers; its {@link Tensor#array()} refuses, so the arena is never handed out.
     */
    public Tensor userView(Tensor tensor) {
        if (tensor.binder() != this) throw new IllegalArgumentException("tensor " + tensor.describe() + " belongs to another interpreter");
        return tensor.userView();
    }

    /** Places {@code tensor} at {@code offset} in {@code data}; only for tensors this binder created. */
    public void bind(Tensor tensor, byte[] data, int offset) {
        if (tensor.binder() != this) throw new IllegalArgumentException("tensor " + tensor.describe() + " belongs to another interpreter");
        if (closed) throw new IllegalStateException("the interpreter is closed");
        if (offset < 0 || (long) offset + tensor.numBytes() > data.length) {
            throw new IllegalArgumentException("tensor " + tensor.describe() + " of " + tensor.numBytes() + " bytes does not fit at offset "
                    + offset + " of " + data.length);
        }
        tensor.data = data;
        tensor.offset = offset;
    }

    /** Unbinds every tensor this binder created (their memory can be collected); views then refuse every access. */
    public void close() {
        closed = true;
        for (Tensor t : created) t.data = null;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() { return closed; }
}
