package dev.minnow.kernels.signal;

import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * The int16 ring buffer of TFLM's Signal library (signal/src/circular_buffer.cc) as SignalDelay, SignalFramer and
 * SignalStacker use it: read and write positions and an empty flag over {@code capacity} samples, with TFLM's exact
 * position arithmetic, including what its release build does where the library only asserts (a write into a full
 * buffer overwrites unread samples; discarding nothing from a full buffer marks it empty). Callers keep every single
 * write, read and discard within the capacity. Allocation-free after construction.
 */
final class SignalCircularBuffer {
    private final int capacity;
    private final short[] buffer;
    private int read;
    private int write;
    private boolean empty;

    SignalCircularBuffer(int capacity) {
        this.capacity = capacity;
        this.buffer = new short[capacity];
        reset();
    }

    /** CircularBufferReset: empty, positions at 0, contents zeroed. */
    void reset() {
        read = 0;
        write = 0;
        empty = true;
        Arrays.fill(buffer, (short) 0);
    }

    int capacity() { return capacity; }

    /** CircularBufferAvailable: samples that can be read. */
    int available() {
        int diff = write - read;
        if (diff > 0) return diff;
        if (diff < 0) return capacity + diff;
        return empty ? 0 : capacity;
    }

    /** CircularBufferWrite of {@code n} little-endian int16 samples from {@code src[offset..]}. */
    void write(byte[] src, int offset, int n) {
        if (n <= 0) return;
        int end = write + n;
        if (end < capacity) {
            for (int i = 0; i < n; i++) buffer[write + i] = LittleEndian.getShort(src, offset + 2 * i);
            write += n;
        } else {
            int n1 = capacity - write, n2 = end - capacity;
            for (int i = 0; i < n1; i++) buffer[write + i] = LittleEndian.getShort(src, offset + 2 * i);
            for (int i = 0; i < n2; i++) buffer[i] = LittleEndian.getShort(src, offset + 2 * (n1 + i));
            write = n2;
        }
        empty = false;
    }

    /** CircularBufferWriteZeros. */
    void writeZeros(int n) {
        if (n <= 0) return;
        int end = write + n;
        if (end < capacity) {
            Arrays.fill(buffer, write, end, (short) 0);
            write += n;
        } else {
            Arrays.fill(buffer, write, capacity, (short) 0);
            Arrays.fill(buffer, 0, end - capacity, (short) 0);
            write = end - capacity;
        }
        empty = false;
    }

    /** CircularBufferExtend: appends the last {@code count} samples {@code n} more times. */
    void extend(int count, int n) {
        if (n <= 0 || count <= 0) return;
        int start = count > write ? write + capacity - count : write - count;
        int end = start + count;
        for (int i = 0; i < n; i++) {
            if (end <= capacity) {
                writeFromSelf(start, count);
            } else {
                int n1 = capacity - start;
                writeFromSelf(start, n1);
                writeFromSelf(0, count - n1);
            }
        }
    }

    /** CircularBufferWrite from the buffer's own samples {@code [from, from + n)}. */
    private void writeFromSelf(int from, int n) {
        if (n <= 0) return;
        int end = write + n;
        if (end < capacity) {
            System.arraycopy(buffer, from, buffer, write, n);
            write += n;
        } else {
            int n1 = capacity - write, n2 = end - capacity;
            System.arraycopy(buffer, from, buffer, write, n1);
            System.arraycopy(buffer, from + n1, buffer, 0, n2);
            write = n2;
        }
        empty = false;
    }

    /** CircularBufferGet: the next {@code n} samples, little-endian into {@code dst[offset..]}, without consuming them. */
    void get(int n, byte[] dst, int offset) {
        int end = read + n;
        if (end <= capacity) {
            for (int i = 0; i < n; i++) LittleEndian.putShort(dst, offset + 2 * i, buffer[read + i]);
        } else {
            int n1 = capacity - read, n2 = end - capacity;
            for (int i = 0; i < n1; i++) LittleEndian.putShort(dst, offset + 2 * i, buffer[read + i]);
            for (int i = 0; i < n2; i++) LittleEndian.putShort(dst, offset + 2 * (n1 + i), buffer[i]);
        }
    }

    /** CircularBufferDiscard. */
    void discard(int n) {
        read += n;
        if (read >= capacity) read -= capacity;
        if (read == write) empty = true;
    }

    /** The memory TFLM's CircularBufferGetNeededMemory asks for: the struct and twice the capacity of int16. */
    static int neededBytes(int capacity, int pointerSize) {
        int struct = pointerSize == 8 ? 40 : 24;   // 3 x size_t, 2 x int32, int16_t* buffer
        return struct + 4 * capacity;
    }
}
