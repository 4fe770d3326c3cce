package dev.minnow.runtime;

import dev.minnow.MinnowException;
import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.model.TensorInfo;
import dev.minnow.util.LittleEndian;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor of a running interpreter: a typed view of {@link #numBytes()} bytes at {@link #offset()} in
 * {@link #array()} — the tensor arena for activations and variables, a private copy of the model's buffer for
 * constants. Planned tensors share arena bytes, so data is only valid between the op that writes it and its
 * last reader. The typed copy methods mirror TFLite Java's {@code Tensor}.
 */
public final class Tensor {
    private final TensorInfo info;
    private final int[] shape;
    private final int numElements;
    private final int numBytes;
    private final float scale;
    private final int zeroPoint;
    private final TensorBinder binder;
    byte[] data;
    int offset;

    Tensor(TensorInfo info, TensorBinder binder) {
        this.info = info;
        this.binder = binder;
        this.shape = info.shape();
        this.numElements = (int) info.elementCount();
        // a constant's bytes are its buffer's: packed for INT4 (two per byte), never more than the buffer holds
        this.numBytes = info.isConstant() ? (int) Math.min(info.byteSize(), info.constantDataLength()) : (int) info.byteSize();
        this.scale = info.quantization().scale();
        this.zeroPoint = info.quantization().zeroPoint();
        if (info.isConstant()) {
            this.data = info.constantData();
            this.offset = 0;
        }
    }

    /** Index of the tensor in its subgraph. */
    public int index() { return info.index(); }
    public String name() { return info.name(); }
    public DataType dataType() { return info.type(); }
    public int[] shape() { return shape.clone(); }
    public int rank() { return shape.length; }
    public int dim(int i) { return shape[i]; }
    public int numElements() { return numElements; }
    public int numBytes() { return numBytes; }
    public Quantization quantization() { return info.quantization(); }
    /** Per-tensor scale (the first one for per-channel tensors), 0 when unquantized. */
    public float scale() { return scale; }
    /** Per-tensor zero point (the first one for per-channel tensors), 0 when unquantized. */
    public int zeroPoint() { return zeroPoint; }
    public boolean isConstant() { return info.isConstant(); }
    public boolean isVariable() { return info.isVariable(); }
    public TensorInfo info() { return info; }

    /** The array holding the data (the arena or a constant buffer). Kernels index it from {@link #offset()}. */
    public byte[] array() {
        if (data == null) throw new MinnowException("tensor " + describe() + " has no memory: call allocateTensors() first");
        return data;
    }

    /** Byte offset of element 0 in {@link #array()}. */
    public int offset() { return offset; }

    /** Whether the tensor has memory: a constant's data, or arena bytes bound by its interpreter. */
    public boolean isBound() { return data != null; }

    TensorBinder binder() { return binder; }

    // ---- element access by flat index (prepare-time and API use; kernels use array()/offset() in hot loops) ----

    public byte getByte(int i) { check(i, 1); return array()[offset + i]; }
    public short getShort(int i) { check(i, 2); return LittleEndian.getShort(array(), offset + 2 * i); }
    public int getInt(int i) { check(i, 4); return LittleEndian.getInt(array(), offset + 4 * i); }
    public long getLong(int i) { check(i, 8); return LittleEndian.getLong(array(), offset + 8 * i); }
    public float getFloat(int i) { check(i, 4); return LittleEndian.getFloat(array(), offset + 4 * i); }

    /** Element i of an INT32 or INT64 tensor as a long (axis, shape and index tensors). */
    public long getIntegral(int i) {
        return switch (dataType()) {
            case INT32 -> getInt(i);
            case INT64 -> getLong(i);
            case INT16 -> getShort(i);
            case INT8 -> getByte(i);
            case UINT8, BOOL -> getByte(i) & 0xFF;
            default -> throw new MinnowException("tensor " + describe() + " is " + dataType().lowerName() + ", not an integer type");
        };
    }

    private void check(int i, int size) {
        if (dataType().byteSize() != size) {
            throw new MinnowException("tensor " + describe() + " holds " + dataType().lowerName() + ", read as a "
                    + size + "-byte element");
        }
        if (i < 0 || i >= numElements) {
            throw new MinnowException("index " + i + " out of range for tensor " + describe() + " of " + numElements + " elements");
        }
    }

    // ---- typed bulk copies ----

    public void copyFrom(float[] src) { requireType(DataType.FLOAT32, src.length); for (int i = 0; i < src.length; i++) LittleEndian.putFloat(data, offset + 4 * i, src[i]); }
    public void copyFrom(int[] src) { requireType(DataType.INT32, src.length); for (int i = 0; i < src.length; i++) LittleEndian.putInt(data, offset + 4 * i, src[i]); }
    public void copyFrom(long[] src) { requireType(DataType.INT64, src.length); for (int i = 0; i < src.length; i++) LittleEndian.putLong(data, offset + 8 * i, src[i]); }
    public void copyFrom(short[] src) { requireType(DataType.INT16, src.length); for (int i = 0; i < src.length; i++) LittleEndian.putShort(data, offset + 2 * i, src[i]); }

    /** Copies raw bytes: the tensor's data as little-endian bytes (any type), or int8/uint8/bool elements. */
    public void copyFrom(byte[] src) {
        writable();
        if (src.length != numBytes) {
            throw new MinnowException("tensor " + describe() + " takes " + numBytes + " bytes, got " + src.length);
        }
        System.arraycopy(src, 0, data, offset, numBytes);
    }

    /** Copies the buffer's remaining bytes (little-endian tensor data); its position is left unchanged. */
    public void copyFrom(ByteBuffer src) {
        writable();
        if (src.remaining() != numBytes) {
            throw new MinnowException("tensor " + describe() + " takes " + numBytes + " bytes, buffer has " + src.remaining());
        }
        src.duplicate().get(data, offset, numBytes);
    }

    public void copyTo(float[] dst) { requireOut(DataType.FLOAT32, dst.length); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getFloat(data, offset + 4 * i); }
    public void copyTo(int[] dst) { requireOut(DataType.INT32, dst.length); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getInt(data, offset + 4 * i); }
    public void copyTo(long[] dst) { requireOut(DataType.INT64, dst.length); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getLong(data, offset + 8 * i); }
    public void copyTo(short[] dst) { requireOut(DataType.INT16, dst.length); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getShort(data, offset + 2 * i); }

    /** Copies the raw little-endian bytes of the tensor into {@code dst} (exactly {@link #numBytes()} long). */
    public void copyTo(byte[] dst) {
        array();
        if (dst.length != numBytes) {
            throw new MinnowException("tensor " + describe() + " has " + numBytes + " bytes, destination has " + dst.length);
        }
        System.arraycopy(data, offset, dst, 0, numBytes);
    }

    /** Writes the raw bytes into the buffer at its position, advancing it. */
    public void copyTo(ByteBuffer dst) {
        array();
        if (dst.remaining() < numBytes) {
            throw new MinnowException("tensor " + describe() + " has " + numBytes + " bytes, buffer has room for " + dst.remaining());
        }
        dst.put(data, offset, numBytes);
    }

    /** A copy of the raw bytes. */
    public byte[] toByteArray() { byte[] b = new byte[numBytes]; copyTo(b); return b; }

    /** A read-only little-endian view of the current data. */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(array(), offset, numBytes).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void writable() {
        array();
        if (isConstant()) throw new MinnowException("tensor " + describe() + " is a constant of the model and cannot be written");
    }

    private void requireType(DataType t, int length) {
        writable();
        if (dataType() != t) {
            throw new MinnowException("tensor " + describe() + " holds " + dataType().lowerName() + ", cannot copy " + t.lowerName() + " data into it");
        }
        if (length != numElements) {
            throw new MinnowException("tensor " + describe() + " has " + numElements + " elements, got " + length);
        }
    }

    private void requireOut(DataType t, int length) {
        array();
        if (dataType() != t) {
            throw new MinnowException("tensor " + describe() + " holds " + dataType().lowerName() + ", cannot copy it into " + t.lowerName() + " data");
        }
        if (length != numElements) {
            throw new MinnowException("tensor " + describe() + " has " + numElements + " elements, destination has " + length);
        }
    }

    /** "#index 'name' type[shape]", for messages. */
    public String describe() { return "#" + index() + " '" + name() + "' " + dataType().lowerName() + Arrays.toString(shape); }

    @Override public String toString() { return "Tensor" + describe(); }
}
