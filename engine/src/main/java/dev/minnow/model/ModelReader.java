package dev.minnow.model;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TFLite flatbuffer into the immutable model view, checking every offset, vector and index first.
 * Field ids follow {@code schema.fbs}; the generated classes are used only for builtin option tables and names.
 */
final class ModelReader {
    private static final String IDENTIFIER = "TFL3";
    private static final int MAX_RANK = 16;

    private final byte[] bytes;
    private final FlatBufferChecker fb;

    private ModelReader(byte[] bytes) {
        this.bytes = bytes;
        this.fb = new FlatBufferChecker(bytes);
    }

    static Model read(byte[] bytes) {
        try {
            return new ModelReader(bytes).read();
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // Safety net: any check we missed must still surface as a format error, never as a raw runtime error.
            throw new ModelFormatException("malformed model (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private Model read() {
        if (bytes.length < 8) {
            throw new ModelFormatException("buffer of " + bytes.length + " bytes is too short for a TFLite model");
        }
        String ident = new String(bytes, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!IDENTIFIER.equals(ident)) {
            throw new ModelFormatException("file identifier is '" + printable(ident) + "', expected '" + IDENTIFIER + "'");
        }
        FlatBufferChecker.Table model = fb.root("Model");
        long version = model.u32(0, 0);
        String description = orEmpty(model.string(3, "description"));

        FlatBufferChecker.Table[] bufferTables = model.tables(4, "buffers");
        int[][] bufferRanges = new int[bufferTables.length][];
        for (int i = 0; i < bufferTables.length; i++) bufferRanges[i] = bufferRange(bufferTables[i], i);

        FlatBufferChecker.Table[] codeTables = model.tables(1, "operator_codes");
        List<OpCode> opCodes = new ArrayList<>();
        for (int i = 0; i < codeTables.length; i++) opCodes.add(opCode(codeTables[i], i));

        FlatBufferChecker.Table[] subgraphTables = model.tables(2, "subgraphs");
        if (subgraphTables.length == 0) throw new ModelFormatException("model has no subgraphs");
        List<SubgraphInfo> subgraphs = new ArrayList<>();
        for (int i = 0; i < subgraphTables.length; i++) {
            subgraphs.add(subgraph(subgraphTables[i], i, opCodes, bufferRanges));
        }

        Map<String, byte[]> metadata = new LinkedHashMap<>();
        FlatBufferChecker.Table[] metaTables = model.tables(6, "metadata");
        for (int i = 0; i < metaTables.length; i++) {
            String name = orEmpty(metaTables[i].string(0, "name"));
            long buf = metaTables[i].u32(1, 0);
            if (buf >= bufferRanges.length) {
                throw new ModelFormatException("metadata[" + i + "] '" + name + "' names buffer " + buf + " of "
                        + bufferRanges.length);
            }
            int[] r = bufferRanges[(int) buf];
            metadata.put(name, r == null ? new byte[0] : java.util.Arrays.copyOfRange(bytes, r[0], r[0] + r[1]));
        }
        int metaBuffers = model.vector(5, 4, "metadata_buffer");
        if (metaBuffers > 0) {
            for (int idx : model.ints(5, "metadata_buffer")) {
                if (idx < 0 || idx >= bufferRanges.length) {
                    throw new ModelFormatException("metadata_buffer names buffer " + idx + " of " + bufferRanges.length);
                }
            }
        }
        // Signature defs are checked for bounds even though the engine does not use them.
        for (FlatBufferChecker.Table sig : model.tables(7, "signature_defs")) {
            sig.string(2, "signature_key");
            for (FlatBufferChecker.Table t : sig.tables(0, "inputs")) t.string(0, "name");
            for (FlatBufferChecker.Table t : sig.tables(1, "outputs")) t.string(0, "name");
        }
        return new Model(bytes, version, description, opCodes, subgraphs, metadata);
    }

    /** {pos, len} of a buffer's data inside the model bytes, or null when it holds none. */
    private int[] bufferRange(FlatBufferChecker.Table t, int i) {
        int[] r = t.bytesRange(0, "buffers[" + i + "].data");
        long offset = t.i64f(1, 0);
        long size = t.i64f(2, 0);
        if (offset > 1) {
            // Data stored after the flatbuffer (models over 2 GB layout): offset from the start of the file.
            if (size < 0 || offset + size > bytes.length) {
                throw new ModelFormatException("buffers[" + i + "]: external data of " + size + " bytes at offset "
                        + offset + " runs past the end of the " + bytes.length + "-byte model");
            }
            return new int[] {(int) offset, (int) size};
        }
        return r == null || r[1] == 0 ? null : r;
    }

    private OpCode opCode(FlatBufferChecker.Table t, int i) {
        int deprecated = (byte) t.u8(0, 0);
        String custom = t.string(1, "custom_code");
        int version = t.i32f(2, 1);
        int builtin = t.i32f(3, 0);
        // Older converters only set deprecated_builtin_code (< 127); TFLM takes the larger of the two.
        int code = Math.max(builtin, deprecated);
        if (code < 0) throw new ModelFormatException("operator_codes[" + i + "]: negative builtin code " + code);
        String name;
        try {
            name = dev.minnow.schema.tflite.BuiltinOperator.name(code);
        } catch (RuntimeException e) {
            name = null;
        }
        if (name == null || name.isEmpty()) name = "BUILTIN_" + code;
        boolean isCustom = "CUSTOM".equals(name);
        if (isCustom && custom == null) custom = "";
        return new OpCode(code, name, isCustom ? custom : null, version);
    }

    private SubgraphInfo subgraph(FlatBufferChecker.Table sg, int si, List<OpCode> opCodes, int[][] bufferRanges) {
        String where = "subgraph " + si;
        FlatBufferChecker.Table[] tensorTables = sg.tables(0, "tensors");
        List<TensorInfo> tensors = new ArrayList<>(tensorTables.length);
        for (int i = 0; i < tensorTables.length; i++) tensors.add(tensor(tensorTables[i], i, where, bufferRanges));
        int n = tensors.size();
        int[] inputs = sg.ints(1, "inputs");
        int[] outputs = sg.ints(2, "outputs");
        checkIndices(inputs, n, false, where + " inputs");
        checkIndices(outputs, n, false, where + " outputs");
        FlatBufferChecker.Table[] opTables = sg.tables(3, "operators");
        List<OperatorInfo> ops = new ArrayList<>(opTables.length);
        for (int i = 0; i < opTables.length; i++) ops.add(operator(opTables[i], i, where, n, opCodes));
        return new SubgraphInfo(si, orEmpty(sg.string(4, "name")), tensors, ops, inputs, outputs);
    }

    private TensorInfo tensor(FlatBufferChecker.Table t, int i, String where, int[][] bufferRanges) {
        String w = where + " tensor " + i;
        int[] shape = t.ints(0, "shape");
        int typeCode = t.u8(1, 0);
        DataType type;
        try {
            type = DataType.fromCode((byte) typeCode);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(w + ": " + e.getMessage());
        }
        long buffer = t.u32(2, 0);
        String name = orEmpty(t.string(3, "name"));
        w = w + " '" + name + "'";
        if (shape.length > MAX_RANK) throw new ModelFormatException(w + ": rank " + shape.length + " exceeds " + MAX_RANK);
        long elements = 1;
        for (int d : shape) {
            if (d < 0) throw new ModelFormatException(w + ": negative dimension " + d + " in shape " + java.util.Arrays.toString(shape));
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw new ModelFormatException(w + ": shape " + java.util.Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        long byteSize = elements * type.byteSize();
        if (byteSize > Integer.MAX_VALUE) {
            throw new ModelFormatException(w + ": " + byteSize + " bytes of data exceed 2 GiB");
        }
        Quantization q = quantization(t.table(4, "quantization"), w);
        boolean variable = t.u8(5, 0) != 0;
        FlatBufferChecker.Table sparsity = t.table(6, "sparsity");
        int[] signature = t.ints(7, "shape_signature");
        t.tables(9, "variant_tensors");
        if (buffer != 0 && buffer >= bufferRanges.length) {
            throw new ModelFormatException(w + ": buffer index " + buffer + " out of range (model has "
                    + bufferRanges.length + " buffers)");
        }
        byte[] data = null;
        int[] range = buffer < bufferRanges.length ? bufferRanges[(int) buffer] : null;
        if (range != null) {
            if (sparsity == null && type.byteSize() > 0 && range[1] < byteSize) {
                throw new ModelFormatException(w + ": buffer " + buffer + " holds " + range[1] + " bytes, shape "
                        + java.util.Arrays.toString(shape) + " of " + type.lowerName() + " needs " + byteSize);
            }
            data = java.util.Arrays.copyOfRange(bytes, range[0], range[0] + range[1]);
        }
        return new TensorInfo(i, name, type, shape, signature, q, variable, (int) buffer, data, sparsity != null);
    }

    private Quantization quantization(FlatBufferChecker.Table q, String w) {
        if (q == null) return Quantization.NONE;
        q.vector(0, 4, "min");
        q.vector(1, 4, "max");
        float[] scales = q.floats(2, "scale");
        long[] zeroPoints = q.longs(3, "zero_point");
        q.table(5, "details");
        int dim = q.i32f(6, 0);
        if (scales.length == 0) return Quantization.NONE;
        if (zeroPoints.length != 0 && zeroPoints.length != scales.length) {
            throw new ModelFormatException(w + ": " + scales.length + " quantization scales but " + zeroPoints.length + " zero points");
        }
        if (dim < 0 || dim >= MAX_RANK) throw new ModelFormatException(w + ": quantized dimension " + dim + " out of range");
        return new Quantization(scales, zeroPoints, dim);
    }

    private OperatorInfo operator(FlatBufferChecker.Table t, int i, String where, int tensorCount, List<OpCode> opCodes) {
        String w = where + " operator " + i;
        long opcodeIndex = t.u32(0, 0);
        if (opcodeIndex >= opCodes.size()) {
            throw new ModelFormatException(w + ": opcode index " + opcodeIndex + " out of range (model has " + opCodes.size() + " opcodes)");
        }
        OpCode code = opCodes.get((int) opcodeIndex);
        w = w + " (" + code.displayName() + ")";
        int[] inputs = t.ints(1, "inputs");
        int[] outputs = t.ints(2, "outputs");
        int[] intermediates = t.ints(8, "intermediates");
        checkIndices(inputs, tensorCount, true, w + " inputs");
        checkIndices(outputs, tensorCount, false, w + " outputs");
        checkIndices(intermediates, tensorCount, true, w + " intermediates");
        int optionsType = t.u8(3, 0);
        FlatBufferChecker.Table optionsTable = t.table(4, "builtin_options");
        BuiltinOptions options = optionsTable == null ? BuiltinOptions.NONE : options(optionsType, optionsTable, w);
        int[] custom = t.bytesRange(5, "custom_options");
        byte[] customOptions = custom == null ? new byte[0] : java.util.Arrays.copyOfRange(bytes, custom[0], custom[0] + custom[1]);
        t.vector(7, 1, "mutating_variable_inputs");
        long largeOffset = t.i64f(9, 0), largeSize = t.i64f(10, 0);
        if (largeOffset > 0) {
            if (largeSize < 0 || largeOffset + largeSize > bytes.length) {
                throw new ModelFormatException(w + ": large custom options of " + largeSize + " bytes at " + largeOffset
                        + " run past the end of the " + bytes.length + "-byte model");
            }
            customOptions = java.util.Arrays.copyOfRange(bytes, (int) largeOffset, (int) (largeOffset + largeSize));
        }
        t.table(12, "builtin_options_2");
        return new OperatorInfo(i, code, inputs, outputs, intermediates, options, customOptions);
    }

    private static void checkIndices(int[] idx, int n, boolean optionalAllowed, String what) {
        for (int k = 0; k < idx.length; k++) {
            int v = idx[k];
            if (v >= n || v < (optionalAllowed ? -1 : 0)) {
                throw new ModelFormatException(what + "[" + k + "] = " + v + " names no tensor (subgraph has " + n + ")");
            }
        }
    }

    // ---- builtin options, read through the generated classes after the table was checked ----

    private static final Map<Integer, OptionsReader> OPTION_READERS = new HashMap<>();

    private BuiltinOptions options(int type, FlatBufferChecker.Table table, String w) {
        String typeName;
        try {
            typeName = dev.minnow.schema.tflite.BuiltinOptions.name(type);
        } catch (RuntimeException e) {
            throw new ModelFormatException(w + ": unknown builtin options type " + type);
        }
        if (typeName == null || typeName.isEmpty() || "NONE".equals(typeName)) return BuiltinOptions.NONE;
        // Every field must lie inside the table (sizes up to 8 bytes: check the smallest, 1, per field here;
        // wider reads fail below as out-of-bounds on the buffer and are reported as format errors).
        for (int id = 0; 4 + 2 * id + 2 <= table.vsize; id++) table.field(id, 1);
        OptionsReader reader;
        synchronized (OPTION_READERS) {
            reader = OPTION_READERS.computeIfAbsent(type, k -> OptionsReader.forType(typeName));
        }
        if (reader == null) return new BuiltinOptions(typeName, Map.of());
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            return new BuiltinOptions(typeName, reader.read(table.pos, bb, bytes.length));
        } catch (ModelFormatException e) {
            throw new ModelFormatException(w + ": " + typeName + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new ModelFormatException(w + ": " + typeName + " is malformed (" + e + ")");
        }
    }

    /** Reflective reader of one generated options class: scalar accessors and int vectors. */
    private static final class OptionsReader {
        private final Class<?> cls;
        private final Method init;
        private final Map<String, Method> scalars = new LinkedHashMap<>();
        private final Map<String, Method[]> vectors = new LinkedHashMap<>();

        private OptionsReader(Class<?> cls) throws NoSuchMethodException {
            this.cls = cls;
            this.init = cls.getMethod("__init", int.class, ByteBuffer.class);
            Map<String, Method> byName = new HashMap<>();
            for (Method m : cls.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())) continue;
                byName.put(m.getName() + "/" + m.getParameterCount(), m);
            }
            for (Method m : cls.getDeclaredMethods()) {
                if (Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())) continue;
                String n = m.getName();
                if (n.startsWith("__")) continue;
                Class<?> r = m.getReturnType();
                if (m.getParameterCount() == 0 && n.endsWith("Length") && r == int.class) {
                    String base = n.substring(0, n.length() - "Length".length());
                    Method elem = byName.get(base + "/1");
                    if (elem != null && elem.getParameterTypes()[0] == int.class && elem.getReturnType() == int.class) {
                        vectors.put(base, new Method[] {m, elem});
                    }
                } else if (m.getParameterCount() == 0 && (r == byte.class || r == short.class || r == int.class
                        || r == long.class || r == float.class || r == boolean.class)) {
                    scalars.put(n, m);
                }
            }
            scalars.keySet().removeIf(k -> k.endsWith("Length") && vectors.containsKey(k.substring(0, k.length() - 6)));
        }

        static OptionsReader forType(String typeName) {
            try {
                return new OptionsReader(Class.forName("dev.minnow.schema.tflite." + typeName));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }

        Map<String, Object> read(int pos, ByteBuffer bb, int limit) {
            try {
                Object obj = cls.getDeclaredConstructor().newInstance();
                init.invoke(obj, pos, bb);
                Map<String, Object> out = new LinkedHashMap<>();
                for (var e : scalars.entrySet()) {
                    Object v = e.getValue().invoke(obj);
                    if (v instanceof Byte b) v = (int) b;
                    else if (v instanceof Short s) v = (int) s;
                    out.put(e.getKey(), v);
                }
                for (var e : vectors.entrySet()) {
                    int n = (int) e.getValue()[0].invoke(obj);
                    if (n < 0 || (long) n * 4 > limit) {
                        throw new ModelFormatException(e.getKey() + ": vector length " + n + " exceeds the buffer");
                    }
                    int[] arr = new int[n];
                    for (int j = 0; j < n; j++) arr[j] = (int) e.getValue()[1].invoke(obj, j);
                    out.put(e.getKey(), arr);
                }
                return out;
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                throw new IllegalStateException(c);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String orEmpty(String s) { return s == null ? "" : s; }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        return sb.toString();
    }
}
