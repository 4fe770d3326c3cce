package dev.minnow.interpreter;

import dev.minnow.model.Quantization;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.ResourceVariables;
import dev.minnow.runtime.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The interpreter's resource variables, TFLM's {@code MicroResourceVariables}: a fixed table of variables found by
 * (container, shared name), each with a buffer (its own array here; TFLM's sits in the arena's tail, whose bytes
 * minnow accounts for in {@code ResourceVariablePlan}) that keeps its value across invokes until {@link #resetAll()}.
 */
final class ResourceVariableStore implements ResourceVariables {
    private final int capacity;
    private final String[] containers;
    private final String[] names;
    private final byte[][] buffers;
    private final byte[] defaults;
    private int count;
    private final Map<Tensor, Integer> published = new IdentityHashMap<>();
    private final List<Integer> allocatedBytes = new ArrayList<>();

    ResourceVariableStore(int capacity) {
        this.capacity = capacity;
        this.containers = new String[capacity];
        this.names = new String[capacity];
        this.buffers = new byte[capacity][];
        this.defaults = new byte[capacity];
    }

    @Override public int capacity() { return capacity; }

    @Override public int findOrCreate(String container, String sharedName) {
        if (sharedName == null) throw new KernelException("VAR_HANDLE has no shared_name (TFLM compares a null name with strcmp)");
        for (int i = 0; i < count; i++) {
            if (container != null && containers[i] == null) {
                throw new KernelException("VAR_HANDLE with container '" + container + "' meets variable '" + names[i]
                        + "' created without one (TFLM compares a null container with strcmp)");
            }
            if ((container == null || container.equals(containers[i])) && sharedName.equals(names[i])) return i;
        }
        if (count >= capacity) return -1;
        containers[count] = container;
        names[count] = sharedName;
        return count++;
    }

    @Override public void publishHandle(Tensor handle, int id) { published.put(handle, id); }

    @Override public int publishedHandle(Tensor handle) {
        Integer id = published.get(handle);
        return id == null ? -1 : id;
    }

    @Override public boolean allocate(int id, Tensor value) {
        requireKnown(id, "allocate");
        if (buffers[id] != null) return false;
        Quantization q = value.quantization();
        // TFLM takes the default from the quantization struct a quantized temporary tensor carries, cast to int8.
        defaults[id] = q.isQuantized() && q.zeroPoints().length > 0 ? (byte) q.zeroPoints()[0] : 0;
        buffers[id] = new byte[value.numBytes()];
        Arrays.fill(buffers[id], defaults[id]);
        allocatedBytes.add(value.numBytes());
        return true;
    }

    @Override public void read(int id, Tensor out) {
        byte[] b = buffer(id, "read", out);
        System.arraycopy(b, 0, out.array(), out.offset(), b.length);
    }

    @Override public void assign(int id, Tensor value) {
        byte[] b = buffer(id, "assign", value);
        System.arraycopy(value.array(), value.offset(), b, 0, b.length);
    }

    /** TFLM's {@code ResetAll}: every allocated variable back to its default value. */
    void resetAll() {
        for (int i = 0; i < count; i++) if (buffers[i] != null) Arrays.fill(buffers[i], defaults[i]);
    }

    /** Bytes of the variable buffers allocated so far, in allocation order. */
    List<Integer> allocatedBytes() { return List.copyOf(allocatedBytes); }

    /** Prepare is over: handles published during it no longer matter. */
    void endPrepare() { published.clear(); }

    private byte[] buffer(int id, String what, Tensor t) {
        requireKnown(id, what);
        byte[] b = buffers[id];
        if (b == null) {
            throw new KernelException("cannot " + what + " resource variable " + id + " ('" + names[id]
                    + "'): no ASSIGN_VARIABLE allocated its buffer at allocation (TFLM fails the same way)");
        }
        if (b.length != t.numBytes()) {
            throw new KernelException("cannot " + what + " resource variable " + id + " ('" + names[id] + "') of " + b.length
                    + " bytes with tensor " + t.describe() + " of " + t.numBytes() + " bytes");
        }
        return b;
    }

    private void requireKnown(int id, String what) {
        if (id < 0 || id >= count) {
            throw new KernelException("cannot " + what + " resource variable " + id + ": the model has created " + count
                    + (count == 1 ? " variable" : " variables"));
        }
    }
}
