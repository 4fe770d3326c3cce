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
 *
 * <p>Kernels get the tensors themselves (through {@link NodeContext}) and index {@link #array()} from
 * {@link #offset()}. The interpreter hands its callers <em>views</em> of them instead: the same metadata and data,
 * readable as copies ({@link #copyTo(float[])} and the other {@code copyTo}s, {@link #toByteArray()}), as a
 * read-only buffer ({@link #asReadOnlyBuffer()}) or by element ({@link #getFloat(int)}...), writable only through
 * {@code copyFrom}; a view's {@code array()} refuses, so the whole arena is never handed out.
 *
 * <p>Exceptions: a caller's mistake on a view (wrong length, type or index) is an {@link IllegalArgumentException},
 * a view used before allocation or after its interpreter was closed an {@link IllegalStateException}; writing a
 * constant of the model (a model whose input is a constant) a {@link MinnowException}. The copy
 * methods throw the same on a kernel's tensor; the element getters there throw {@link MinnowException}, since a
 * kernel reading a tensor wrongly is a model (or kernel) error.
 */
public final class Tensor {
    private final TensorInfo info;
    private final int[] shape;
    private final int numElements;
    private final int numBytes;
    private final float scale;
    private final int zeroPoint;
    private final TensorBinder binder;
    /** For a caller's view: the kernel tensor whose memory it reads; null for the kernel tensor itself. */
    private final Tensor source;
    byte[] data;
    int offset;

    Tensor(TensorInfo info, TensorBinder binder) {
        this.info = info;
        this.binder = binder;
        this.source = null;
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

    /** A caller's view of {@code source}: shares its memory binding, never hands out the array. */
    private Tensor(Tensor source) {
        this.info = source.info;
        this.binder = source.binder;
        this.source = source;
        this.shape = source.shape;
        this.numElements = source.numElements;
        this.numBytes = source.numBytes;
        this.scale = source.scale;
        this.zeroPoint = source.zeroPoint;
    }

    Tensor userView() { return source == null ? new Tensor(this) : this; }

    /** Whether this is a caller's view (from the interpreter's getters) rather than the kernels' tensor. */
    public boolean isView() { return source != null; }

    /** Index of the tensor in its subgraph. */
    public int index() { return info.index(); }
    /** The tensor's name in the model. */
    public String name() { return info.name(); }
    /** The element type. */
    public DataType dataType() { return info.type(); }
    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }
    /** Number of dimensions. */
    public int rank() { return shape.length; }
    /** Number of dimensions (TFLite's name for {@link #rank()}). */
    public int numDimensions() { return shape.length; }
    /** Dimension {@code i} of the shape. */
    public int dim(int i) {
        if (i < 0 || i >= shape.length) throw argument("dimension " + i + " out of range for tensor " + describe() + " of rank " + shape.length);
        return shape[i];
    }
    /** Number of elements (the product of the shape). */
    public int numElements() { return numElements; }
    /** Number of bytes of the data. */
    public int numBytes() { return numBytes; }
    /** The tensor's quantization parameters. */
    public Quantization quantization() { return info.quantization(); }
    /** Per-tensor scale (the first one for per-channel tensors), 0 when unquantized. */
    public float scale() { return scale; }
    /** Per-tensor zero point (the first one for per-channel tensors), 0 when unquantized. */
    public int zeroPoint() { return zeroPoint; }
    /** Whether the data is a constant buffer of the model. */
    public boolean isConstant() { return info.isConstant(); }
    /** Whether the tensor is a variable (state kept across invokes). */
    public boolean isVariable() { return info.isVariable(); }
    /** The model's description of the tensor. */
    public TensorInfo info() { return info; }

    /**
     * The kernels' access: the array holding the data (the whole tensor arena, or a constant buffer), indexed from
     * {@link #offset()}. A caller's view refuses with an {@link IllegalStateException}: read its data with
     * {@code copyTo}, {@link #toByteArray()} or {@link #asReadOnlyBuffer()}.
     */
    public byte[] array() {
        if (source != null) {
            throw new IllegalStateException("tensor " + describe() + ": array() is the kernels' access to the whole tensor arena; "
                    + "read the data with copyTo(...), toByteArray() or asReadOnlyBuffer() and write it with copyFrom(...)");
        }
        if (data == null) throw new MinnowException("tensor " + describe() + " has no memory: call allocateTensors() first");
        return data;
    }

    /** Byte offset of element 0 in {@link #array()}: the tensor's place in the arena (0 for a constant). */
    public int offset() { return base(); }

    /** Whether the tensor has memory: a constant's data, or arena bytes bound by its interpreter. */
    public boolean isBound() { return (source == null ? data : source.data) != null; }

    TensorBinder binder() { return binder; }

    /** The memory, checked: a view refuses before allocation and after close with an IllegalStateException. */
    private byte[] mem() {
        if (source == null) {
            if (data == null) {
                throw new IllegalStateException("tensor " + describe() + " has no memory: "
                        + (binder.isClosed() ? "the interpreter is closed" : "call allocateTensors() first"));
            }
            return data;
        }
        if (binder.isClosed()) throw new IllegalStateException("tensor " + describe() + ": the interpreter is closed");
        byte[] d = source.data;
        if (d == null) throw new IllegalStateException("tensor " + describe() + " has no memory: call allocateTensors() first");
        return d;
    }

    /** Byte offset of element 0 in {@link #mem()}. */
    private int base() { return source == null ? offset : source.offset; }

    /** A caller's mistake: IllegalArgumentException on a view, a model error (MinnowException) on a kernel's tensor. */
    private RuntimeException argument(String message) {
        return source != null ? new IllegalArgumentException(message) : new MinnowException(message);
    }

    // ---- element access by flat index (prepare-time and API use; kernels use array()/offset() in hot loops) ----

    /** Element {@code i} of an int8, uint8 or bool tensor. */
    public byte getByte(int i) { check(i, 1); return mem()[base() + i]; }
    /** Element {@code i} of a 2-byte tensor (int16). */
    public short getShort(int i) { check(i, 2); return LittleEndian.getShort(mem(), base() + 2 * i); }
    /** Element {@code i} of a 4-byte integer tensor (int32). */
    public int getInt(int i) { check(i, 4); return LittleEndian.getInt(mem(), base() + 4 * i); }
    /** Element {@code i} of an 8-byte tensor (int64). */
    public long getLong(int i) { check(i, 8); return LittleEndian.getLong(mem(), base() + 8 * i); }
    /** Element {@code i} of a float32 tensor. */
    public float getFloat(int i) { check(i, 4); return LittleEndian.getFloat(mem(), base() + 4 * i); }

    /** Element i of an INT32 or INT64 tensor as a long (axis, shape and index tensors). */
    public long getIntegral(int i) {
        return switch (dataType()) {
            case INT32 -> getInt(i);
            case INT64 -> getLong(i);
            case INT16 -> getShort(i);
            case INT8 -> getByte(i);
            case UINT8, BOOL -> getByte(i) & 0xFF;
            default -> throw argument("tensor " + describe() + " is " + dataType().lowerName() + ", not an integer type");
        };
    }

    private void check(int i, int size) {
        if (source == null) array();
        if (dataType().byteSize() != size) {
            throw argument("tensor " + describe() + " holds " + dataType().lowerName() + ", read as a "
                    + size + "-byte element");
        }
        if (i < 0 || i >= numElements) {
            throw argument("index " + i + " out of range for tensor " + describe() + " of " + numElements + " elements");
        }
    }

    // ---- typed bulk copies: IllegalArgumentException for a wrong type or length, IllegalStateException without memory ----

    /** Copies float32 elements in ({@code src.length} must be {@link #numElements()}). */
    public void copyFrom(float[] src) { byte[] d = requireType(DataType.FLOAT32, src.length); int o = base(); for (int i = 0; i < src.length; i++) LittleEndian.putFloat(d, o + 4 * i, src[i]); }
    /** Copies int32 elements in. */
    public void copyFrom(int[] src) { byte[] d = requireType(DataType.INT32, src.length); int o = base(); for (int i = 0; i < src.length; i++) LittleEndian.putInt(d, o + 4 * i, src[i]); }
    /** Copies int64 elements in. */
    public void copyFrom(long[] src) { byte[] d = requireType(DataType.INT64, src.length); int o = base(); for (int i = 0; i < src.length; i++) LittleEndian.putLong(d, o + 8 * i, src[i]); }
    /** Copies int16 elements in. */
    public void copyFrom(short[] src) { byte[] d = requireType(DataType.INT16, src.length); int o = base(); for (int i = 0; i < src.length; i++) LittleEndian.putShort(d, o + 2 * i, src[i]); }

    /** Copies raw bytes: the tensor's data as little-endian bytes (any type), or int8/uint8/bool elements. */
    public void copyFrom(byte[] src) {
        byte[] d = writable();
        if (src.length != numBytes) {
            throw new IllegalArgumentException("tensor " + describe() + " takes " + numBytes + " bytes, got " + src.length);
        }
        System.arraycopy(src, 0, d, base(), numBytes);
    }

    /**
     * Copies the buffer's remaining bytes (little-endian tensor data, so a buffer of a type wider than one byte must
     * be in little-endian order); its position is left unchanged. Direct and heap buffers alike.
     */
    public void copyFrom(ByteBuffer src) {
        byte[] d = writable();
        if (src.remaining() != numBytes) {
            throw new IllegalArgumentException("tensor " + describe() + " takes " + numBytes + " bytes, the ByteBuffer has "
                    + src.remaining() + " remaining (position " + src.position() + ", limit " + src.limit()
                    + (src.position() > 0 && src.limit() - src.position() < numBytes ? "; rewind() it after filling" : "") + ")");
        }
        requireLittleEndian(src);
        src.duplicate().get(d, base(), numBytes);
    }

    /** Copies the float32 elements out ({@code dst.length} must be {@link #numElements()}). */
    public void copyTo(float[] dst) { byte[] d = requireOut(DataType.FLOAT32, dst.length); int o = base(); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getFloat(d, o + 4 * i); }
    /** Copies the int32 elements out. */
    public void copyTo(int[] dst) { byte[] d = requireOut(DataType.INT32, dst.length); int o = base(); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getInt(d, o + 4 * i); }
    /** Copies the int64 elements out. */
    public void copyTo(long[] dst) { byte[] d = requireOut(DataType.INT64, dst.length); int o = base(); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getLong(d, o + 8 * i); }
    /** Copies the int16 elements out. */
    public void copyTo(short[] dst) { byte[] d = requireOut(DataType.INT16, dst.length); int o = base(); for (int i = 0; i < dst.length; i++) dst[i] = LittleEndian.getShort(d, o + 2 * i); }

    /** Copies the raw little-endian bytes of the tensor into {@code dst} (exactly {@link #numBytes()} long). */
    public void copyTo(byte[] dst) {
        byte[] d = mem();
        if (dst.length != numBytes) {
            throw new IllegalArgumentException("tensor " + describe() + " has " + numBytes + " bytes, destination has " + dst.length);
        }
        System.arraycopy(d, base(), dst, 0, numBytes);
    }

    /**
     * Writes the raw little-endian bytes into the buffer at its position, advancing it (a buffer of a type wider
     * than one byte must be in little-endian order). Direct and heap buffers alike.
     */
    public void copyTo(ByteBuffer dst) {
        byte[] d = mem();
        if (dst.isReadOnly()) throw new IllegalArgumentException("tensor " + describe() + " cannot be copied into a read-only ByteBuffer");
        if (dst.remaining() < numBytes) {
            throw new IllegalArgumentException("tensor " + describe() + " has " + numBytes + " bytes, the ByteBuffer has room for "
                    + dst.remaining() + " (position " + dst.position() + ", limit " + dst.limit() + ")");
        }
        requireLittleEndian(dst);
        dst.put(d, base(), numBytes);
    }

    /** A copy of the raw bytes. */
    public byte[] toByteArray() { byte[] b = new byte[numBytes]; copyTo(b); return b; }

    /** A read-only little-endian view of the current data (valid until the interpreter writes it again). */
    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(mem(), base(), numBytes).slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Tensor data is little-endian: a buffer in big-endian order (Java's default) would silently swap bytes. */
    private void requireLittleEndian(ByteBuffer b) {
        if (dataType().byteSize() > 1 && b.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("tensor " + describe() + " holds little-endian " + dataType().lowerName()
                    + " data but the ByteBuffer's order is " + b.order() + ": call order(ByteOrder.LITTLE_ENDIAN) on it");
        }
    }

    private byte[] writable() {
        byte[] d = mem();
        // a model that makes a constant one of its inputs is at fault, not its caller: a model error
        if (isConstant()) throw new MinnowException("tensor " + describe() + " is a constant of the model and cannot be written");
        return d;
    }

    private byte[] requireType(DataType t, int length) {
        byte[] d = writable();
        if (dataType() != t) {
            throw new IllegalArgumentException("tensor " + describe() + " holds " + dataType().lowerName() + ", cannot copy " + t.lowerName() + " data into it");
        }
        if (length != numElements) {
            throw new IllegalArgumentException("tensor " + describe() + " has " + numElements + " elements, got " + length);
        }
        return d;
    }

    private byte[] requireOut(DataType t, int length) {
        byte[] d = mem();
        if (dataType() != t) {
            throw new IllegalArgumentException("tensor " + describe() + " holds " + dataType().lowerName() + ", cannot copy it into " + t.lowerName() + " data");
        }
        if (length != numElements) {
            throw new IllegalArgumentException("tensor " + describe() + " has " + numElements + " elements, destination has " + length);
        }
        return d;
    }

    /** "#index 'name' type[shape]", for messages. */
    public String describe() { return "#" + index() + " '" + name() + "' " + dataType().lowerName() + Arrays.toString(shape); }

    @Override public String toString() { return "Tensor" + describe(); }
}
