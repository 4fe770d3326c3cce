package dev.minnow.model;

import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.Corpus;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One hand-made corruption per defect class, applied to real models (a model written by {@link ModelWriter}
 * and, when the corpus is present, TFLM's hello_world and person_detect models): each must raise
 * {@link ModelFormatException} with a message that names the defect and its numbers.
 */
class ModelFormatTest {

    record Source(String name, byte[] bytes) {
        @Override public String toString() { return name; }
        Fb copy() { return new Fb(bytes.clone()); }
    }

    static List<Source> sources() throws Exception {
        List<Source> out = new ArrayList<>();
        out.add(new Source("built", builtModel()));
        Path corpus = Corpus.require();
        for (String id : List.of("models/tflm-hello_world_int8", "models/tflm-person_detect")) {
            out.add(new Source(id, Files.readAllBytes(corpus.resolve(id).resolve("model.tflite"))));
        }
        return out;
    }

    /** FULLY_CONNECTED (per-channel weights, one zero point) then RESHAPE with options, plus metadata. */
    static byte[] builtModel() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("input", DataType.INT8, new int[] {1, 4}, new Quantization(new float[] {0.5f}, new long[] {-3}, 0));
        byte[] w = new byte[12];
        for (int i = 0; i < w.length; i++) w[i] = (byte) (i * 7 - 40);
        int weights = b.addConstant("weights", DataType.INT8, new int[] {3, 4},
                new Quantization(new float[] {0.1f, 0.2f, 0.3f}, new long[] {0}, 0), w);
        int bias = b.addConstant("bias", DataType.INT32, new int[] {3}, null, new byte[12]);
        int fc = b.addTensor("fc", DataType.INT8, new int[] {1, 3}, new Quantization(new float[] {0.25f}, new long[] {5}, 0));
        byte[] shape = {3, 0, 0, 0, 1, 0, 0, 0};
        int newShape = b.addConstant("shape", DataType.INT32, new int[] {2}, null, shape);
        int out = b.addTensor("output", DataType.INT8, new int[] {3, 1}, new Quantization(new float[] {0.25f}, new long[] {5}, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, weights, bias}, new int[] {fc}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 1, "keepNumDims", true));
        b.addOperator("RESHAPE", 1, new int[] {fc, newShape}, new int[] {out}, "ReshapeOptions", Map.of("newShape", new int[] {3, 1}));
        b.setInputs(in).setOutputs(out);
        b.addMetadata("min_runtime_version", "1.5.0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return b.build();
    }

    private static ModelFormatException rejects(byte[] bytes, String... fragments) {
        ModelFormatException e;
        try {
            Model.load(bytes);
            fail("expected a ModelFormatException mentioning " + Arrays.toString(fragments));
            return null;
        } catch (ModelFormatException x) {
            e = x;
        }
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    private static ModelFormatException rejects(Source s, Consumer<Fb> corrupt, String... fragments) {
        Fb fb = s.copy();
        corrupt.accept(fb);
        return rejects(fb.b, fragments);
    }

    // ---- the view of a valid model ----

    @Test
    void builtModelViewIsComplete() {
        Model m = Model.load(builtModel());
        assertEquals(3, m.schemaVersion());
        SubgraphInfo g = m.mainSubgraph();
        assertEquals(6, g.tensors().size());
        TensorInfo weights = g.tensor(1);
        assertEquals("weights", weights.name());
        assertEquals(DataType.INT8, weights.type());
        assertArrayEquals(new int[] {3, 4}, weights.shape());
        assertTrue(weights.isConstant());
        assertEquals(12, weights.constantDataLength());
        assertTrue(weights.quantization().isPerChannel());
        assertArrayEquals(new long[] {0, 0, 0}, weights.quantization().zeroPoints(), "single zero point spread to every channel");
        assertFalse(g.tensor(0).isConstant());
        assertEquals(-3, g.tensor(0).quantization().zeroPoint());
        OperatorInfo fc = g.operators().get(0);
        assertEquals("FULLY_CONNECTED", fc.opCode().builtinName());
        assertEquals("FullyConnectedOptions", fc.options().type());
        assertEquals(1, fc.options().getInt("fusedActivationFunction", -1));
        assertTrue(fc.options().getBool("keepNumDims", false));
        assertEquals(0, fc.options().getInt("weightsFormat", -1), "absent scalar fields read as the schema default");
        assertFalse(fc.options().getBool("asymmetricQuantizeInputs", true));
        OperatorInfo reshape = g.operators().get(1);
        assertArrayEquals(new int[] {3, 1}, reshape.options().getInts("newShape"));
        assertEquals(BuiltinOptions.NONE, reshape.builtinOptions2());
        assertArrayEquals(new int[] {0}, g.inputs());
        assertArrayEquals(new int[] {5}, g.outputs());
        assertEquals("1.5.0\0", new String(m.metadata().get("min_runtime_version"), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(m.signatureDefs().isEmpty());
    }

    @Test
    void viewIsImmutable() {
        Model m = Model.load(builtModel());
        TensorInfo w = m.mainSubgraph().tensor(1);
        w.constantData()[0] = 99;
        w.shape()[0] = 99;
        m.metadata().get("min_runtime_version")[0] = 'x';
        m.mainSubgraph().operators().get(1).options().getInts("newShape")[0] = 99;
        assertEquals(Model.load(builtModel()).subgraphs(), m.subgraphs());
        assertEquals('1', m.metadata().get("min_runtime_version")[0]);
        assertThrows(UnsupportedOperationException.class, () -> m.subgraphs().add(null));
        assertThrows(UnsupportedOperationException.class, () -> m.mainSubgraph().tensors().clear());
    }

    // ---- defects of the container ----

    @Test
    void nullAndTinyInputs() {
        assertThrows(ModelFormatException.class, () -> Model.load((byte[]) null));
        assertThrows(ModelFormatException.class, () -> Model.load((ByteBuffer) null));
        rejects(new byte[0], "0 bytes", "too short");
        rejects(new byte[7], "7 bytes", "too short");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void wrongIdentifier(Source s) {
        rejects(s, fb -> { fb.b[4] = 'X'; fb.b[7] = 0; }, "file identifier", "XFL", "\\u0000", "TFL3");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void truncatedAnywhereInTheFirstHalf(Source s) {
        int len = s.bytes().length;
        int step = Math.max(1, len / 400);
        for (int n = 8; n < len / 2; n += step) {
            byte[] cut = Arrays.copyOf(s.bytes(), n);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Model.load(cut), "truncated to " + n);
            assertTrue(e.getMessage().contains(n + "-byte"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void rootOffsetOutsideTheBuffer(Source s) {
        int len = s.bytes().length;
        rejects(s, fb -> fb.put32(0, len + 100), "model root", "points to " + (len + 100), len + "-byte");
        rejects(s, fb -> fb.put32(0, 0), "model root", "is 0");
        rejects(s, fb -> fb.put32(0, 0x80000010), "exceeds 2^31");
        rejects(s, fb -> fb.put32(0, fb.root() + 2), "not aligned to 4");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void vtableOutsideTheBuffer(Source s) {
        rejects(s, fb -> fb.put32(fb.root(), -(1 << 30)), "model vtable", "run outside");
        rejects(s, fb -> fb.put16(fb.vtable(fb.root()), 3), "model vtable", "size 3 is invalid");
        rejects(s, fb -> fb.put16(fb.vtable(fb.root()), 60000), "model");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void fieldOutsideItsTable(Source s) {
        rejects(s, fb -> {
            int t = fb.tensor(0, 0);
            fb.put16(fb.slot(t, 1), fb.u16(fb.vtable(t) + 2) + 8);   // type field beyond the table's inline size
        }, "model.subgraphs[0].tensors[0].type", "lies outside the table");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void tableOffsetOfZero(Source s) {
        rejects(s, fb -> fb.put32(fb.vector(fb.subgraph(0), 0) + 4, 0), "model.subgraphs[0].tensors[0]", "is 0");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void absurdVectorLengths(Source s) {
        rejects(s, fb -> fb.put32(fb.vector(fb.subgraph(0), 0), 0x7FFFFFFF),
                "model.subgraphs[0].tensors", "vector of 2147483647 elements", "runs past the end");
        rejects(s, fb -> fb.put32(fb.vector(fb.subgraph(0), 0), -1), "vector of 4294967295 elements");
        rejects(s, fb -> fb.put32(fb.vector(fb.root(), 4), 0x40000000), "model.buffers", "1073741824 elements");
        rejects(s, fb -> fb.put32(fb.vector(fb.tensor(0, 0), 3), 1 << 30), "tensors[0].name", "runs past the end");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void stringWithoutTerminator(Source s) {
        rejects(s, fb -> {
            int name = fb.vector(fb.tensor(0, 0), 3);
            fb.b[name + 4 + fb.length(name)] = 'x';
        }, "tensors[0].name", "not zero-terminated");
    }

    // ---- defects of the model's contents ----

    @ParameterizedTest
    @MethodSource("sources")
    void operatorInputNamesNoTensor(Source s) {
        int tensors = new Fb(s.bytes()).length(new Fb(s.bytes()).vector(new Fb(s.bytes()).subgraph(0), 0));
        rejects(s, fb -> fb.put32(fb.vector(fb.operator(0, 0), 1) + 4, 9999),
                "model.subgraphs[0].operators[0]", ".inputs[0] = 9999 names no tensor (subgraph has " + tensors + ")");
        rejects(s, fb -> fb.put32(fb.vector(fb.operator(0, 0), 1) + 4, -2), ".inputs[0] = -2 names no tensor");
        rejects(s, fb -> fb.put32(fb.vector(fb.operator(0, 0), 2) + 4, -1), ".outputs[0] = -1 names no tensor");
        rejects(s, fb -> fb.put32(fb.vector(fb.subgraph(0), 1) + 4, tensors), "model.subgraphs[0].inputs[0] = " + tensors);
        rejects(s, fb -> fb.put32(fb.vector(fb.subgraph(0), 2) + 4, tensors + 5), "model.subgraphs[0].outputs[0]");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void opcodeIndexOutOfRange(Source s) {
        int codes = new Fb(s.bytes()).length(new Fb(s.bytes()).vector(new Fb(s.bytes()).root(), 1));
        rejects(s, fb -> {
            int ops = fb.length(fb.vector(fb.subgraph(0), 3));
            for (int i = 0; i < ops; i++) {
                int f = fb.field(fb.operator(0, i), 0);
                if (f >= 0) { fb.put32(f, 77); return; }
            }
            fb.put32(fb.vector(fb.root(), 1), 0);   // every operator uses opcode 0 by default: remove the opcodes
        }, "opcode index", "out of range (model has ");
        rejects(s, fb -> fb.put32(fb.vector(fb.root(), 1), 0), "model.subgraphs[0].operators[0]: opcode index",
                "out of range (model has 0 operator codes)");
        assertTrue(codes > 0);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void constantBufferSmallerThanItsShape(Source s) {
        Model m = Model.load(s.bytes());
        TensorInfo c = m.mainSubgraph().tensors().stream().filter(t -> t.isConstant() && t.rank() > 0 && t.byteSize() > 0)
                .findFirst().orElseThrow();
        int dim0 = c.dim(0);
        rejects(s, fb -> fb.put32(fb.vector(fb.tensor(0, c.index()), 0) + 4, dim0 * 2),
                "tensors[" + c.index() + "] '" + c.name() + "'", "buffer " + c.bufferIndex() + " holds " + c.constantDataLength()
                        + " bytes, but shape", "needs " + c.byteSize() * 2);
        rejects(s, fb -> {
            int data = fb.vector(fb.buffer(c.bufferIndex()), 0);
            fb.put32(data, (int) c.byteSize() - 1);
        }, "holds " + (c.byteSize() - 1) + " bytes", "needs " + c.byteSize());
    }

    @ParameterizedTest
    @MethodSource("sources")
    void negativeAndAbsurdDimensions(Source s) {
        Model m = Model.load(s.bytes());
        TensorInfo a = m.mainSubgraph().tensors().stream().filter(t -> !t.isConstant() && t.rank() >= 2).findFirst().orElseThrow();
        rejects(s, fb -> fb.put32(fb.vector(fb.tensor(0, a.index()), 0) + 4, -3), "tensors[" + a.index() + "]", "negative dimension -3 at index 0");
        rejects(s, fb -> {
            int shape = fb.vector(fb.tensor(0, a.index()), 0);
            fb.put32(shape + 4, 1 << 20);
            fb.put32(shape + 8, 1 << 20);
        }, "more than 2^31-1 elements");
        // A longer shape vector is either too long for the buffer or (usually) over the rank limit.
        String msg = rejects(s, fb -> fb.put32(fb.vector(fb.tensor(0, a.index()), 0), 17), "tensors[" + a.index() + "]").getMessage();
        assertTrue(msg.contains("rank 17 exceeds 16") || msg.contains("shape: vector of 17 elements"), msg);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void tensorsTooLargeTogether(Source s) {
        Model m = Model.load(s.bytes());
        List<TensorInfo> acts = m.mainSubgraph().tensors().stream()
                .filter(t -> !t.isConstant() && t.rank() >= 2 && t.type().byteSize() == 1).toList();
        if (acts.size() < 2) return;
        // Each tensor alone is under 2 GiB, together they are not.
        rejects(s, fb -> {
            for (TensorInfo t : acts.subList(0, 2)) {
                int shape = fb.vector(fb.tensor(0, t.index()), 0);
                fb.put32(shape + 4, 1 << 15);
                fb.put32(shape + 8, 1 << 15);
                for (int k = 2; k < t.rank(); k++) fb.put32(shape + 4 + 4 * k, 1);
            }
        }, "model.subgraphs[0]", "bytes in total, more than the");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void unknownTensorTypeAndBufferIndex(Source s) {
        rejects(s, fb -> {
            int t = fb.tensor(0, 0);
            int f = fb.field(t, 1);
            if (f < 0) throw new IllegalStateException("tensor 0 has no type field");
            fb.b[f] = 99;
        }, "tensors[0]", "unknown tensor type code 99");
        int buffers = new Fb(s.bytes()).length(new Fb(s.bytes()).vector(new Fb(s.bytes()).root(), 4));
        rejects(s, fb -> {
            int sg = fb.subgraph(0);
            int n = fb.length(fb.vector(sg, 0));
            for (int i = 0; i < n; i++) {
                int f = fb.field(fb.tensor(0, i), 2);
                if (f >= 0) { fb.put32(f, buffers + 5000); return; }
            }
        }, "buffer index " + (buffers + 5000) + " out of range (model has " + buffers + " buffers)");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void builtinOptionsDefects(Source s) {
        Fb probe = new Fb(s.bytes());
        int op = -1;
        int ops = probe.length(probe.vector(probe.subgraph(0), 3));
        for (int i = 0; i < ops && op < 0; i++) if (probe.field(probe.operator(0, i), 4) >= 0) op = i;
        if (op < 0) return;
        int opIndex = op;
        rejects(s, fb -> fb.b[fb.field(fb.operator(0, opIndex), 3)] = (byte) 250,
                "operators[" + opIndex + "]", "unknown builtin_options type 250 (known: 1..");
        rejects(s, fb -> {
            int options = fb.deref(fb.field(fb.operator(0, opIndex), 4));
            fb.put16(fb.vtable(options) + 2, 4);          // inline size 4: every field now lies outside
        }, "operators[" + opIndex + "].builtin_options.", "lies outside the table's 4 bytes");
        rejects(s, fb -> fb.put32(fb.field(fb.operator(0, opIndex), 4), 1 << 30), "operators[" + opIndex + "].builtin_options",
                "past the end");
    }

    @Test
    void optionsVectorWithAbsurdLength() {
        Source s = new Source("built", builtModel());
        rejects(s, fb -> {
            int options = fb.deref(fb.field(fb.operator(0, 1), 4));
            fb.put32(fb.vector(options, 0), 0x20000000);
        }, "model.subgraphs[0].operators[1].builtin_options.newShape", "vector of 536870912 elements");
    }

    @Test
    void metadataNamesNoBuffer() {
        Source s = new Source("built", builtModel());
        rejects(s, fb -> fb.put32(fb.field(fb.tableAt(fb.vector(fb.root(), 6), 0), 1), 4000),
                "model.metadata[0] 'min_runtime_version'", "buffer index 4000 out of range");
    }

    /** Shared sub-objects referenced over and over must not make loading explode in time or memory. */
    @Test
    void massivelySharedConstantIsRejected() {
        ModelWriter b = new ModelWriter();
        int big = b.addConstant("big", DataType.INT8, new int[] {1 << 20}, null, new byte[1 << 20]);
        int[] others = new int[64];
        for (int i = 0; i < others.length; i++) others[i] = b.addTensor("t" + i, DataType.INT8, new int[] {1}, null);
        b.addOperator("ADD", 1, new int[] {big, others[0]}, new int[] {others[1]}, null, null);
        b.setInputs(others[0]).setOutputs(others[1]);
        Fb fb = new Fb(b.build());
        Model.load(fb.b);
        int vec = fb.vector(fb.subgraph(0), 0);
        int target = fb.tableAt(vec, 0);
        // A few tensors sharing one buffer is what converters' deduplication produces: still fine.
        for (int i = 1; i <= 4; i++) fb.put32(vec + 4 + 4 * i, target - (vec + 4 + 4 * i));
        Model.load(fb.b);
        for (int i = 1; i <= others.length; i++) fb.put32(vec + 4 + 4 * i, target - (vec + 4 + 4 * i));
        rejects(fb.b, "model.subgraphs[0].tensors[", "shared by so many tensors", "bytes of constant data");
    }

    @Test
    void massivelySharedTablesAreRejected() {
        ModelWriter b = new ModelWriter();
        int named = b.addTensor("n".repeat(1 << 16), DataType.INT8, new int[] {1}, null);
        int[] others = new int[64];
        for (int i = 0; i < others.length; i++) others[i] = b.addTensor("t" + i, DataType.INT8, new int[] {1}, null);
        b.addOperator("ADD", 1, new int[] {named, others[0]}, new int[] {others[1]}, null, null);
        b.setInputs(others[0]).setOutputs(others[1]);
        Fb fb = new Fb(b.build());
        int vec = fb.vector(fb.subgraph(0), 0);
        int target = fb.tableAt(vec, 0);
        for (int i = 1; i <= others.length; i++) fb.put32(vec + 4 + 4 * i, target - (vec + 4 + 4 * i));
        rejects(fb.b, "model.subgraphs[0].tensors[", "referenced so often", "elements from a " + fb.b.length + "-byte buffer");
    }

    /**
     * A one-tensor model written with the generated builders, with knobs for the rarer tables: the buffer's
     * offset/size (models over 2 GB), the tensor's external buffer, a signature def.
     */
    static byte[] tinyModel(long bufferOffset, long bufferSize, long externalBuffer, long sigSubgraph, long sigTensor) {
        com.google.flatbuffers.FlatBufferBuilder b = new com.google.flatbuffers.FlatBufferBuilder(256);
        int data = dev.minnow.schema.tflite.Buffer.createDataVector(b, new byte[] {1, 2, 3, 4});
        int buf0 = dev.minnow.schema.tflite.Buffer.createBuffer(b, 0, 0, 0);
        int buf1 = dev.minnow.schema.tflite.Buffer.createBuffer(b, bufferOffset == 0 ? data : 0, bufferOffset, bufferSize);
        int name = b.createString("t");
        int shape = dev.minnow.schema.tflite.Tensor.createShapeVector(b, new int[] {4});
        dev.minnow.schema.tflite.Tensor.startTensor(b);
        dev.minnow.schema.tflite.Tensor.addShape(b, shape);
        dev.minnow.schema.tflite.Tensor.addType(b, (byte) DataType.INT8.code());
        dev.minnow.schema.tflite.Tensor.addBuffer(b, 1);
        dev.minnow.schema.tflite.Tensor.addName(b, name);
        dev.minnow.schema.tflite.Tensor.addExternalBuffer(b, externalBuffer);
        int tensor = dev.minnow.schema.tflite.Tensor.endTensor(b);
        int tensors = dev.minnow.schema.tflite.SubGraph.createTensorsVector(b, new int[] {tensor});
        int outs = dev.minnow.schema.tflite.SubGraph.createOutputsVector(b, new int[] {0});
        dev.minnow.schema.tflite.SubGraph.startSubGraph(b);
        dev.minnow.schema.tflite.SubGraph.addTensors(b, tensors);
        dev.minnow.schema.tflite.SubGraph.addOutputs(b, outs);
        int sg = dev.minnow.schema.tflite.SubGraph.endSubGraph(b);
        int mapName = b.createString("out");
        int map = dev.minnow.schema.tflite.TensorMap.createTensorMap(b, mapName, sigTensor);
        int sigOuts = dev.minnow.schema.tflite.SignatureDef.createOutputsVector(b, new int[] {map});
        int key = b.createString("serving_default");
        int sig = dev.minnow.schema.tflite.SignatureDef.createSignatureDef(b, 0, sigOuts, key, sigSubgraph);
        int subgraphs = dev.minnow.schema.tflite.Model.createSubgraphsVector(b, new int[] {sg});
        int buffers = dev.minnow.schema.tflite.Model.createBuffersVector(b, new int[] {buf0, buf1});
        int sigs = dev.minnow.schema.tflite.Model.createSignatureDefsVector(b, new int[] {sig});
        dev.minnow.schema.tflite.Model.startModel(b);
        dev.minnow.schema.tflite.Model.addVersion(b, 3);
        dev.minnow.schema.tflite.Model.addSubgraphs(b, subgraphs);
        dev.minnow.schema.tflite.Model.addBuffers(b, buffers);
        dev.minnow.schema.tflite.Model.addSignatureDefs(b, sigs);
        dev.minnow.schema.tflite.Model.finishModelBuffer(b, dev.minnow.schema.tflite.Model.endModel(b));
        return b.sizedByteArray();
    }

    @Test
    void signatureDefsAreReadAndChecked() {
        Model m = Model.load(tinyModel(0, 0, 0, 0, 0));
        assertEquals(1, m.signatureDefs().size());
        assertEquals("serving_default", m.signatureDefs().get(0).key());
        assertEquals(Map.of("out", 0), m.signatureDefs().get(0).outputs());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, m.mainSubgraph().tensor(0).constantData());
        rejects(tinyModel(0, 0, 0, 3, 0), "model.signature_defs[0] 'serving_default'", "subgraph index 3 out of range (model has 1 subgraphs)");
        rejects(tinyModel(0, 0, 0, 0, 7), "model.signature_defs[0].outputs[0] 'out'", "tensor index 7 out of range (subgraph has 1 tensors)");
    }

    @Test
    void externalDataIsBoundsCheckedOrRejected() {
        byte[] ok = tinyModel(0, 0, 0, 0, 0);
        // Buffer data after the flatbuffer (offset/size layout): in range loads, out of range is named.
        Model m = Model.load(tinyModel(8, 4, 0, 0, 0));
        assertEquals(4, m.mainSubgraph().tensor(0).constantDataLength());
        rejects(tinyModel(8, 1 << 20, 0, 0, 0), "model.buffers[1]", "data of 1048576 bytes at file offset 8", "runs past the end");
        rejects(tinyModel(8, 3, 0, 0, 0), "buffer 1 holds 3 bytes, but shape [4] of int8 needs 4");
        rejects(tinyModel(0, 0, 2, 0, 0), "tensors[0] 't'", "external buffer 2", "cannot load");
        assertTrue(ok.length > 0);
    }
}
