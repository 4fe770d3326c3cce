package dev.minnow.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TFLite flatbuffer into the immutable model view. Every object of the schema the model holds is verified
 * before use (see {@link FlatBufferChecker}), including the parts the engine does not run (signature defs,
 * sparsity, quantization details, variant sub-types, external buffer tables); then the model's own invariants are
 * checked: indices name real tensors, opcodes and buffers, constant buffers hold what their shapes need, and sizes
 * stay within what a Java array can address. Field ids follow {@code schema.fbs} (tflite-micro 90b983c2).
 */
final class ModelReader {
    private static final String IDENTIFIER = "TFL3";
    /** Largest tensor rank accepted; TFLM kernels handle at most 6, reshape-like ops a few more. */
    static final int MAX_RANK = 16;
    /** Largest sum of (16-byte aligned) tensor sizes in one subgraph: what one Java array can hold. */
    static final long MAX_SUBGRAPH_TENSOR_BYTES = Integer.MAX_VALUE - 15;

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
            // Safety net: a check we missed must still surface as a format error, never as a raw runtime error.
            throw new ModelFormatException("malformed model (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private Model read() {
        if (bytes.length < 8) {
            throw new ModelFormatException("buffer of " + bytes.length + " bytes is too short for a TFLite model (at least 8)");
        }
        String ident = new String(bytes, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!IDENTIFIER.equals(ident)) {
            throw new ModelFormatException("file identifier is '" + printable(ident) + "', expected '" + IDENTIFIER + "'");
        }
        FlatBufferChecker.Table model = fb.root("model");
        long version = model.u32(0, "version", 0);
        String description = orEmpty(model.string(3, "description"));

        FlatBufferChecker.Table[] bufferTables = model.tables(4, "buffers");
        int[][] bufferRanges = new int[bufferTables.length][];
        for (int i = 0; i < bufferTables.length; i++) bufferRanges[i] = bufferRange(bufferTables[i]);

        FlatBufferChecker.Table[] codeTables = model.tables(1, "operator_codes");
        List<OpCode> opCodes = new ArrayList<>(codeTables.length);
        for (FlatBufferChecker.Table codeTable : codeTables) opCodes.add(opCode(codeTable));

        // External weight tables: verified so nothing in them is out of bounds; tensors may not use them (below).
        for (FlatBufferChecker.Table g : model.tables(8, "external_buffer_groups")) g.string(0, "name");
        FlatBufferChecker.Table[] externals = model.tables(9, "external_buffers");
        for (FlatBufferChecker.Table e : externals) {
            e.u32(0, "id", 0);
            e.u32(1, "group", 0);
            e.i64(2, "offset", 0);
            e.i64(3, "length", 0);
            e.string(4, "packing");
        }

        FlatBufferChecker.Table[] subgraphTables = model.tables(2, "subgraphs");
        if (subgraphTables.length == 0) throw new ModelFormatException("model has no subgraphs");
        List<SubgraphInfo> subgraphs = new ArrayList<>(subgraphTables.length);
        for (int i = 0; i < subgraphTables.length; i++) {
            subgraphs.add(subgraph(subgraphTables[i], i, opCodes, bufferRanges));
        }

        Map<String, byte[]> metadata = new LinkedHashMap<>();
        FlatBufferChecker.Table[] metaTables = model.tables(6, "metadata");
        for (int i = 0; i < metaTables.length; i++) {
            FlatBufferChecker.Table m = metaTables[i];
            String name = orEmpty(m.string(0, "name"));
            long buf = m.u32(1, "buffer", 0);
            if (buf >= bufferRanges.length) {
                throw new ModelFormatException(m.what + " '" + printable(name) + "': buffer index " + buf
                        + " out of range (model has " + bufferRanges.length + " buffers)");
            }
            int[] r = bufferRanges[(int) buf];
            int len = r == null ? 0 : r[1];
            fb.chargeData(len, m.what);
            // When names repeat the last entry wins, as in TFLM's search for OfflineMemoryAllocation.
            metadata.put(name, r == null ? new byte[0] : Arrays.copyOfRange(bytes, r[0], r[0] + len));
        }
        int[] metaBuffers = model.ints(5, "metadata_buffer");
        for (int k = 0; k < metaBuffers.length; k++) {
            if (metaBuffers[k] < 0 || metaBuffers[k] >= bufferRanges.length) {
                throw new ModelFormatException("model.metadata_buffer[" + k + "] = " + metaBuffers[k]
                        + " names no buffer (model has " + bufferRanges.length + ")");
            }
        }

        FlatBufferChecker.Table[] sigTables = model.tables(7, "signature_defs");
        List<SignatureDef> signatures = new ArrayList<>(sigTables.length);
        for (FlatBufferChecker.Table sig : sigTables) signatures.add(signature(sig, subgraphs));
        return new Model(bytes, version, description, opCodes, subgraphs, metadata, signatures);
    }

    /** {pos, len} of a buffer's data inside the model bytes, or null when it holds none. */
    private int[] bufferRange(FlatBufferChecker.Table t) {
        int[] r = t.bytesRange(0, "data");
        long offset = t.i64(1, "offset", 0);
        long size = t.i64(2, "size", 0);
        if (offset > 1 || offset < 0) {
            // Models over 2 GB keep buffer data after the flatbuffer: offset from the start of the file, if > 1.
            if (size < 0 || offset < 0 || offset > bytes.length || size > bytes.length - offset) {
                throw new ModelFormatException(t.what + ": data of " + Long.toUnsignedString(size) + " bytes at file offset "
                        + Long.toUnsignedString(offset) + " runs past the end of the " + bytes.length + "-byte model");
            }
            return size == 0 ? null : new int[] {(int) offset, (int) size};
        }
        return r == null || r[1] == 0 ? null : r;
    }

    private OpCode opCode(FlatBufferChecker.Table t) {
        int deprecated = t.i8(0, "deprecated_builtin_code", 0);
        String custom = t.string(1, "custom_code");
        int version = t.i32(2, "version", 1);
        int builtin = t.i32(3, "builtin_code", 0);
        // Older converters only set deprecated_builtin_code (< 127); TFLM takes the larger of the two.
        int code = Math.max(builtin, deprecated);
        if (code < 0) throw new ModelFormatException(t.what + ": negative builtin code " + code);
        BuiltinOperator known = BuiltinOperator.forCode(code);
        String name = known != null ? known.name() : "BUILTIN_" + code;
        boolean isCustom = "CUSTOM".equals(name);
        if (isCustom && custom == null) custom = "";
        return new OpCode(code, name, isCustom ? custom : null, version);
    }

    private SubgraphInfo subgraph(FlatBufferChecker.Table sg, int si, List<OpCode> opCodes, int[][] bufferRanges) {
        FlatBufferChecker.Table[] tensorTables = sg.tables(0, "tensors");
        List<TensorInfo> tensors = new ArrayList<>(tensorTables.length);
        long totalBytes = 0;
        for (int i = 0; i < tensorTables.length; i++) {
            TensorInfo t = tensor(tensorTables[i], i, bufferRanges);
            totalBytes += (t.byteSize() + 15) / 16 * 16;
            if (totalBytes > MAX_SUBGRAPH_TENSOR_BYTES) {
                throw new ModelFormatException(sg.what + ": tensors 0.." + i + " need " + totalBytes
                        + " bytes in total, more than the " + MAX_SUBGRAPH_TENSOR_BYTES + " minnow can address");
            }
            tensors.add(t);
        }
        int n = tensors.size();
        int[] inputs = sg.ints(1, "inputs");
        int[] outputs = sg.ints(2, "outputs");
        checkIndices(inputs, n, false, sg.what + ".inputs");
        checkIndices(outputs, n, false, sg.what + ".outputs");
        FlatBufferChecker.Table[] opTables = sg.tables(3, "operators");
        List<OperatorInfo> ops = new ArrayList<>(opTables.length);
        for (int i = 0; i < opTables.length; i++) ops.add(operator(opTables[i], i, n, opCodes));
        String name = orEmpty(sg.string(4, "name"));
        sg.i32(5, "debug_metadata_index", -1);
        return new SubgraphInfo(si, name, tensors, ops, inputs, outputs);
    }

    private TensorInfo tensor(FlatBufferChecker.Table t, int i, int[][] bufferRanges) {
        String name = orEmpty(t.string(3, "name"));
        String w = t.what + " '" + printable(name) + "'";
        int rank = t.vectorLength(0, 4, "shape");
        if (rank > MAX_RANK) throw new ModelFormatException(w + ": rank " + rank + " exceeds " + MAX_RANK);
        int[] shape = t.ints(0, "shape");
        int typeCode = t.i8(1, "type", 0);
        DataType type = DataType.forCode(typeCode);
        if (type == null) {
            throw new ModelFormatException(w + ": unknown tensor type code " + typeCode + " (known: 0.." + DataType.maxCode() + ")");
        }
        long buffer = t.u32(2, "buffer", 0);
        long elements = 1;
        for (int k = 0; k < shape.length; k++) {
            int d = shape[k];
            if (d < 0) throw new ModelFormatException(w + ": negative dimension " + d + " at index " + k + " of shape " + Arrays.toString(shape));
            elements *= d;
            if (elements > Integer.MAX_VALUE) {
                throw new ModelFormatException(w + ": shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        long byteSize = elements * type.byteSize();
        if (byteSize > Integer.MAX_VALUE - 15) {
            throw new ModelFormatException(w + ": shape " + Arrays.toString(shape) + " of " + type.lowerName() + " needs "
                    + byteSize + " bytes, more than 2 GiB");
        }
        Quantization q = quantization(t.table(4, "quantization"));
        boolean variable = t.bool(5, "is_variable", false);
        boolean sparse = sparsity(t.table(6, "sparsity"));
        int[] signature = t.ints(7, "shape_signature");
        if (signature.length > MAX_RANK) {
            throw new ModelFormatException(w + ": shape_signature of rank " + signature.length + " exceeds " + MAX_RANK);
        }
        boolean hasRank = t.bool(8, "has_rank", false);
        for (FlatBufferChecker.Table v : t.tables(9, "variant_tensors")) {
            v.ints(0, "shape");
            int vt = v.i8(1, "type", 0);
            if (DataType.forCode(vt) == null) throw new ModelFormatException(v.what + ": unknown tensor type code " + vt);
            v.bool(2, "has_rank", false);
        }
        long external = t.u32(10, "external_buffer", 0);
        if (external != 0) {
            throw new ModelFormatException(w + ": data in external buffer " + external
                    + " (a separate weights file), which minnow cannot load");
        }
        if (buffer >= Math.max(1, bufferRanges.length)) {
            throw new ModelFormatException(w + ": buffer index " + buffer + " out of range (model has "
                    + bufferRanges.length + " buffers)");
        }
        byte[] data = null;
        int[] range = bufferRanges.length == 0 ? null : bufferRanges[(int) buffer];
        if (range != null) {
            long need = type.storageBytes(elements);
            if (!sparse && need > 0 && range[1] < need) {
                throw new ModelFormatException(w + ": buffer " + buffer + " holds " + range[1] + " bytes, but shape "
                        + Arrays.toString(shape) + " of " + type.lowerName() + " needs " + need);
            }
            fb.chargeData(range[1], w);
            data = Arrays.copyOfRange(bytes, range[0], range[0] + range[1]);
        }
        return new TensorInfo(i, name, type, shape, signature, q, variable, (int) buffer, data, sparse, hasRank);
    }

    /**
     * Quantization as TFLM reads it: affine parameters only when both scale and zero_point are non-empty; a single
     * zero point (or any count other than one per scale) applies zero_point[0] to every channel.
     */
    private static Quantization quantization(FlatBufferChecker.Table q) {
        if (q == null) return Quantization.NONE;
        q.vector(0, 4, "min");
        q.vector(1, 4, "max");
        float[] scales = q.floats(2, "scale");
        long[] zeroPoints = q.longs(3, "zero_point");
        int detailsType = q.u8(4, "details_type", 0);
        FlatBufferChecker.Table details = q.table(5, "details");
        if (details != null) quantizationDetails(details, detailsType);
        int dim = q.i32(6, "quantized_dimension", 0);
        if (scales.length == 0 || zeroPoints.length == 0) return Quantization.NONE;
        // quantized_dimension is not checked against the rank: real models carry e.g. 3 on rank-1 biases, and
        // TFLM copies it unchecked; kernels validate it where they use it.
        long[] zp = zeroPoints;
        if (zeroPoints.length != scales.length) {
            zp = new long[scales.length];
            Arrays.fill(zp, zeroPoints[0]);
        }
        return new Quantization(scales, zp, dim);
    }

    private static void quantizationDetails(FlatBufferChecker.Table d, int type) {
        switch (type) {
            case 1 -> d.vector(0, 1, "custom");                              // CustomQuantization
            case 2 -> { d.i32(0, "scales", 0); d.i32(1, "zero_points", 0); d.i32(2, "block_size", 0); }   // Blockwise
            case 3 -> {                                                       // MultiAxisQuantization
                d.i32(0, "scales", 0); d.i32(1, "zero_points", 0); d.i32(2, "block_size", 0);
                d.vector(3, 4, "quantized_dimensions");
            }
            default -> throw new ModelFormatException(d.what + ": unknown quantization details type " + type + " (known: 1..3)");
        }
    }

    /** Verifies sparsity parameters; returns whether the tensor is sparse. */
    private static boolean sparsity(FlatBufferChecker.Table s) {
        if (s == null) return false;
        s.vector(0, 4, "traversal_order");
        s.vector(1, 4, "block_map");
        for (FlatBufferChecker.Table dim : s.tables(2, "dim_metadata")) {
            dim.i8(0, "format", 0);
            dim.i32(1, "dense_size", 0);
            sparseIndexVector(dim, 2, "array_segments");
            sparseIndexVector(dim, 4, "array_indices");
        }
        return true;
    }

    private static void sparseIndexVector(FlatBufferChecker.Table dim, int typeId, String name) {
        int type = dim.u8(typeId, name + "_type", 0);
        FlatBufferChecker.Table v = dim.table(typeId + 1, name);
        if (v == null) return;
        switch (type) {
            case 1 -> v.vector(0, 4, "values");   // Int32Vector
            case 2 -> v.vector(0, 2, "values");   // Uint16Vector
            case 3 -> v.vector(0, 1, "values");   // Uint8Vector
            default -> throw new ModelFormatException(v.what + ": unknown sparse index vector type " + type + " (known: 1..3)");
        }
    }

    private OperatorInfo operator(FlatBufferChecker.Table t, int i, int tensorCount, List<OpCode> opCodes) {
        long opcodeIndex = t.u32(0, "opcode_index", 0);
        if (opcodeIndex >= opCodes.size()) {
            throw new ModelFormatException(t.what + ": opcode index " + opcodeIndex + " out of range (model has "
                    + opCodes.size() + " operator codes)");
        }
        OpCode code = opCodes.get((int) opcodeIndex);
        String w = t.what + " (" + code.displayName() + ")";
        int[] inputs = t.ints(1, "inputs");
        int[] outputs = t.ints(2, "outputs");
        checkIndices(inputs, tensorCount, true, w + ".inputs");
        checkIndices(outputs, tensorCount, false, w + ".outputs");
        int optionsType = t.u8(3, "builtin_options_type", 0);
        BuiltinOptions options = options(optionsType, t.table(4, "builtin_options"), OptionsSchema.BUILTIN_OPTIONS,
                "builtin_options", w);
        byte[] customOptions = t.bytes(5, "custom_options");
        t.i8(6, "custom_options_format", 0);
        t.vector(7, 1, "mutating_variable_inputs");
        int[] intermediates = t.ints(8, "intermediates");
        checkIndices(intermediates, tensorCount, true, w + ".intermediates");
        long largeOffset = t.i64(9, "large_custom_options_offset", 0);
        long largeSize = t.i64(10, "large_custom_options_size", 0);
        if (largeOffset != 0) {
            // Custom options stored after the flatbuffer (models over 2 GB), offset from the start of the file.
            if (largeOffset < 0 || largeSize < 0 || largeOffset > bytes.length || largeSize > bytes.length - largeOffset) {
                throw new ModelFormatException(w + ": large custom options of " + Long.toUnsignedString(largeSize)
                        + " bytes at file offset " + Long.toUnsignedString(largeOffset) + " run past the end of the "
                        + bytes.length + "-byte model");
            }
            fb.chargeData(largeSize, w);
            customOptions = Arrays.copyOfRange(bytes, (int) largeOffset, (int) (largeOffset + largeSize));
        }
        int options2Type = t.u8(11, "builtin_options_2_type", 0);
        BuiltinOptions options2 = options(options2Type, t.table(12, "builtin_options_2"), OptionsSchema.BUILTIN_OPTIONS_2,
                "builtin_options_2", w);
        t.i32(13, "debug_metadata_index", -1);
        return new OperatorInfo(i, code, inputs, outputs, intermediates, options,
                customOptions == null ? new byte[0] : customOptions, options2);
    }

    private static void checkIndices(int[] idx, int n, boolean optionalAllowed, String what) {
        for (int k = 0; k < idx.length; k++) {
            int v = idx[k];
            if (v >= n || v < (optionalAllowed ? -1 : 0)) {
                throw new ModelFormatException(what + "[" + k + "] = " + v + " names no tensor (subgraph has " + n + ")");
            }
        }
    }

    /**
     * Verifies and decodes a builtin options table by its schema layout: every field of the table is checked (in
     * bounds, aligned, vectors and strings inside the buffer) before its value is read. Scalars absent from the
     * table take the schema default; absent vectors read as empty; absent strings are left out.
     */
    private static BuiltinOptions options(int type, FlatBufferChecker.Table table, OptionsLayout[] layouts,
                                          String field, String w) {
        if (type == 0) return BuiltinOptions.NONE;
        if (type >= layouts.length) {
            throw new ModelFormatException(w + ": unknown " + field + " type " + type + " (known: 1.." + (layouts.length - 1) + ")");
        }
        OptionsLayout layout = layouts[type];
        if (table == null) return new BuiltinOptions(layout.name(), Map.of());
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionsLayout.Field f : layout.fields()) {
            Object v = switch (f.kind()) {
                case STRING -> table.string(f.id(), f.name());
                case V_BOOL -> {
                    byte[] raw = table.bytes(f.id(), f.name());
                    boolean[] out = new boolean[raw == null ? 0 : raw.length];
                    for (int k = 0; k < out.length; k++) out[k] = raw[k] != 0;
                    yield out;
                }
                case V_I8, V_U8 -> { byte[] raw = table.bytes(f.id(), f.name()); yield raw == null ? new byte[0] : raw; }
                case V_I16 -> table.shorts(f.id(), f.name(), true);
                case V_U16 -> table.shorts(f.id(), f.name(), false);
                case V_I32 -> table.ints(f.id(), f.name());
                case V_U32 -> table.uints(f.id(), f.name());
                case V_I64, V_U64 -> table.longs(f.id(), f.name());
                case V_F32 -> table.floats(f.id(), f.name());
                case V_F64 -> table.doubles(f.id(), f.name());
                default -> table.scalar(f.id(), f.name(), f.kind(), f.defaultValue());
            };
            if (v != null && !f.deprecated()) values.put(f.name(), v);
        }
        return new BuiltinOptions(layout.name(), values, true);
    }

    private static SignatureDef signature(FlatBufferChecker.Table sig, List<SubgraphInfo> subgraphs) {
        String key = orEmpty(sig.string(2, "signature_key"));
        sig.string(3, "deprecated_tag");
        long sub = sig.u32(4, "subgraph_index", 0);
        if (sub >= subgraphs.size()) {
            throw new ModelFormatException(sig.what + " '" + printable(key) + "': subgraph index " + sub
                    + " out of range (model has " + subgraphs.size() + " subgraphs)");
        }
        int tensorCount = subgraphs.get((int) sub).tensors().size();
        return new SignatureDef(key, (int) sub, tensorMap(sig.tables(0, "inputs"), tensorCount),
                tensorMap(sig.tables(1, "outputs"), tensorCount));
    }

    private static Map<String, Integer> tensorMap(FlatBufferChecker.Table[] entries, int tensorCount) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (FlatBufferChecker.Table e : entries) {
            String name = orEmpty(e.string(0, "name"));
            long index = e.u32(1, "tensor_index", 0);
            if (index >= tensorCount) {
                throw new ModelFormatException(e.what + " '" + printable(name) + "': tensor index " + index
                        + " out of range (subgraph has " + tensorCount + " tensors)");
            }
            out.putIfAbsent(name, (int) index);
        }
        return out;
    }

    private static String orEmpty(String s) { return s == null ? "" : s; }

    /** The string with control and non-ASCII characters escaped, shortened for messages. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        if (sb.length() >= 80) sb.append("...");
        return sb.toString();
    }
}
