package dev.minnow.emulator.analysis;

import dev.minnow.emulator.Json;

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

    /** The shipped table (read once). */
    public static CodeSizeTable load() { return Shipped.TABLE; }

    private static final class Shipped {
        static final CodeSizeTable TABLE = read();
    }

    private static CodeSizeTable read() { return Json.resource(RESOURCE, CodeSizeTable.class); }

    /** Bytes charged for one op's kernel. */
    public long kernelBytes(String op) {
        Long v = kernels.get(op);
        return v != null ? v : largestKernel();
    }

    /** Whether the table measured this op. */
    public boolean measured(String op) { return kernels.containsKey(op); }

    /** The table as Markdown (the module README's): runtime, then each kernel, four columns. */
    public String markdown() {
        StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "TFLM runtime: %,d bytes.%n%n", runtimeBytes));
        s.append("| op | bytes | op | bytes | op | bytes | op | bytes |\n|---|---:|---|---:|---|---:|---|---:|\n");
        java.util.List<Map.Entry<String, Long>> e = new java.util.ArrayList<>(kernels.entrySet());
        int rows = (e.size() + 3) / 4;
        for (int r = 0; r < rows; r++) {
            s.append('|');
            for (int c = 0; c < 4; c++) {
                int i = c * rows + r;
                if (i < e.size()) s.append(String.format(java.util.Locale.ROOT, " %s | %,d |", e.get(i).getKey(), e.get(i).getValue()));
                else s.append(" | |");
            }
            s.append('\n');
        }
        return s.toString();
    }

    /** The largest measured kernel. */
    public long largestKernel() {
        long m = 0;
        for (long v : kernels.values()) m = Math.max(m, v);
        return m;
    }
}
