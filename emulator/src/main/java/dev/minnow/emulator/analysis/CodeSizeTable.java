package dev.minnow.emulator.analysis;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flash taken by TFLM's code ({@code code-size.json}): the runtime every model needs and each kernel's own code,
 * measured as linked sizes (see {@code source}). A kernel missing from the table is charged the largest kernel in
 * it, so the estimate stays on the safe side.
 *
 * @param source       how the numbers were measured
 * @param runtimeBytes interpreter, allocator, planner, flatbuffer parsing and the libc and libgcc code they pull in
 * @param kernels      op name ("FULLY_CONNECTED", "CUSTOM:SignalRfft") to the flash its registration adds
 */
public record CodeSizeTable(String source, long runtimeBytes, Map<String, Long> kernels) {
    /** Resource holding the shipped table. */
    public static final String RESOURCE = "/dev/minnow/emulator/code-size.json";

    public CodeSizeTable {
        kernels = java.util.Collections.unmodifiableMap(new TreeMap<>(kernels));
    }

    /** The shipped table. */
    public static CodeSizeTable load() {
        try (InputStream in = CodeSizeTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new EmulatorException("resource " + RESOURCE + " is missing");
            return Json.mapper().readValue(in, CodeSizeTable.class);
        } catch (IOException e) {
            throw new EmulatorException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Bytes charged for one op's kernel. */
    public long kernelBytes(String op) {
        Long v = kernels.get(op);
        return v != null ? v : largestKernel();
    }

    /** Whether the table measured this op. */
    public boolean measured(String op) { return kernels.containsKey(op); }

    /** The largest measured kernel. */
    public long largestKernel() {
        long m = 0;
        for (long v : kernels.values()) m = Math.max(m, v);
        return m;
    }
}
