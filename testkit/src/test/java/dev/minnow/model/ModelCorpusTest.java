package dev.minnow.model;

import dev.minnow.conformance.CorpusCase;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model of the golden corpus loads, its view matches case.json (inputs and outputs: name, type, shape,
 * scale, zero point), and every field of the view agrees with what the flatc-generated reader sees in the same
 * bytes.
 */
class ModelCorpusTest {

    @Test
    void everyCorpusModelLoadsAndMatchesCaseJson() throws IOException {
        Path corpus = Corpus.require();
        List<CorpusCase> cases = Corpus.cases();
        List<String> problems = new ArrayList<>();
        for (CorpusCase c : cases) {
            String id = Corpus.relative(c);
            try {
                Model model = Model.load(c.model());
                SubgraphInfo g = model.mainSubgraph();
                // Cases TFLM could not allocate list no tensors.
                if (c.expectsError() && c.inputs().isEmpty()) continue;
                compareTensors(id + " inputs", g, g.inputs(), c.inputs(), problems);
                compareTensors(id + " outputs", g, g.outputs(), c.outputs(), problems);
            } catch (ModelFormatException e) {
                problems.add(id + ": " + e.getMessage());
            }
        }
        assertTrue(cases.size() >= 900, "only " + cases.size() + " cases under " + corpus);
        assertTrue(problems.isEmpty(), problems.size() + " of " + cases.size() + " cases differ:\n"
                + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
    }

    private static void compareTensors(String what, SubgraphInfo g, int[] indices, List<CorpusCase.TensorSpec> expected,
                                       List<String> problems) {
        if (expected.size() != indices.length) {
            problems.add(what + ": " + indices.length + " tensors, case.json lists " + expected.size());
            return;
        }
        for (int k = 0; k < indices.length; k++) {
            TensorInfo t = g.tensor(indices[k]);
            CorpusCase.TensorSpec e = expected.get(k);
            String w = what + "[" + k + "] '" + t.name() + "'";
            if (!t.name().equals(e.name())) problems.add(w + ": name vs " + e.name());
            if (!t.type().lowerName().equals(e.type())) problems.add(w + ": type " + t.type().lowerName() + " vs " + e.type());
            int[] shape = e.shape();
            if (!Arrays.equals(t.shape(), shape)) problems.add(w + ": shape " + Arrays.toString(t.shape()) + " vs " + Arrays.toString(shape));
            float[] scales = toFloats(e.scale());
            long[] zps = e.zeroPoint();
            Quantization q = t.quantization();
            if (!Arrays.equals(q.scales(), scales)) problems.add(w + ": scales " + Arrays.toString(q.scales()) + " vs " + Arrays.toString(scales));
            if (!Arrays.equals(q.zeroPoints(), zps)) problems.add(w + ": zero points " + Arrays.toString(q.zeroPoints()) + " vs " + Arrays.toString(zps));
        }
    }

    private static float[] toFloats(double[] l) {
        float[] out = new float[l.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) l[i];
        return out;
    }

    @Test
    void loadFromBytesBufferAndPathAgree() throws IOException {
        Path corpus = Corpus.require();
        Path file = corpus.resolve("models/tflm-hello_world_int8/model.tflite");
        byte[] bytes = Files.readAllBytes(file);
        Model a = Model.load(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 7);
        direct.position(7);
        direct.put(bytes);
        direct.position(7);
        Model b = Model.load(direct);
        assertEquals(7, direct.position(), "load(ByteBuffer) leaves the position unchanged");
        Model c = Model.load(file);
        assertEquals(a.subgraphs(), b.subgraphs());
        assertEquals(a.subgraphs(), c.subgraphs());
        bytes[100] ^= 0x55;   // the view does not alias the caller's array
        assertEquals(a.subgraphs(), Model.load(file).subgraphs());
    }

    /** Field-by-field agreement with the flatc-generated reader, which is safe to use on these valid models. */
    @Test
    void viewAgreesWithGeneratedReader() throws Exception {
        Path corpus = Corpus.require();
        List<String> problems = new ArrayList<>();
        int operators = 0, withOptions = 0;
        for (Path dir : CorpusCase.list(corpus)) {
            byte[] bytes = Files.readAllBytes(dir.resolve("model.tflite"));
            Model m = Model.load(bytes);
            var g = dev.minnow.schema.tflite.Model.getRootAsModel(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
            String id = corpus.relativize(dir).toString();
            check(problems, id + " version", g.version(), m.schemaVersion());
            check(problems, id + " description", g.description() == null ? "" : g.description(), m.description());
            check(problems, id + " opcodes", g.operatorCodesLength(), m.opCodes().size());
            for (int i = 0; i < g.operatorCodesLength(); i++) {
                var oc = g.operatorCodes(i);
                OpCode ours = m.opCodes().get(i);
                check(problems, id + " opcode " + i, Math.max(oc.builtinCode(), oc.deprecatedBuiltinCode()), ours.builtinCode());
                check(problems, id + " opcode " + i + " version", oc.version(), ours.version());
                if (ours.isCustom()) check(problems, id + " opcode " + i + " custom", oc.customCode(), ours.customCode());
            }
            check(problems, id + " subgraphs", g.subgraphsLength(), m.subgraphs().size());
            for (int s = 0; s < g.subgraphsLength(); s++) {
                var sg = g.subgraphs(s);
                SubgraphInfo info = m.subgraphs().get(s);
                String w = id + " subgraph " + s;
                check(problems, w + " inputs", ints(sg.inputsLength(), sg::inputs), info.inputs());
                check(problems, w + " outputs", ints(sg.outputsLength(), sg::outputs), info.outputs());
                check(problems, w + " tensors", sg.tensorsLength(), info.tensors().size());
                for (int t = 0; t < sg.tensorsLength(); t++) compareTensor(problems, w, g, sg.tensors(t), info.tensor(t));
                check(problems, w + " operators", sg.operatorsLength(), info.operators().size());
                for (int o = 0; o < sg.operatorsLength(); o++) {
                    var op = sg.operators(o);
                    OperatorInfo ours = info.operators().get(o);
                    String ow = w + " operator " + o;
                    operators++;
                    check(problems, ow + " opcode", m.opCodes().get((int) op.opcodeIndex()), ours.opCode());
                    check(problems, ow + " inputs", ints(op.inputsLength(), op::inputs), ours.inputs());
                    check(problems, ow + " outputs", ints(op.outputsLength(), op::outputs), ours.outputs());
                    check(problems, ow + " intermediates", ints(op.intermediatesLength(), op::intermediates), ours.intermediates());
                    byte[] custom = new byte[op.customOptionsLength()];
                    for (int k = 0; k < custom.length; k++) custom[k] = (byte) op.customOptions(k);
                    check(problems, ow + " custom options", custom, ours.customOptions());
                    if (op.builtinOptionsType() != 0) {
                        withOptions++;
                        String type = dev.minnow.schema.tflite.BuiltinOptions.name(op.builtinOptionsType());
                        check(problems, ow + " options type", type, ours.options().type());
                        Class<?> cls = Class.forName("dev.minnow.schema.tflite." + type);
                        Object generated = op.builtinOptions((com.google.flatbuffers.Table) cls.getDeclaredConstructor().newInstance());
                        compareOptions(problems, ow, generated, ours.options());
                    }
                }
            }
            List<String> metaNames = new ArrayList<>();
            for (int i = 0; i < g.metadataLength(); i++) metaNames.add(g.metadata(i).name());
            check(problems, id + " metadata", metaNames.stream().distinct().toList(), new ArrayList<>(m.metadata().keySet()));
            check(problems, id + " signatures", g.signatureDefsLength(), m.signatureDefs().size());
            for (int i = 0; i < g.signatureDefsLength(); i++) {
                var sd = g.signatureDefs(i);
                SignatureDef ours = m.signatureDefs().get(i);
                check(problems, id + " signature " + i, sd.signatureKey(), ours.key());
                check(problems, id + " signature " + i + " subgraph", (int) sd.subgraphIndex(), ours.subgraphIndex());
                for (int k = 0; k < sd.inputsLength(); k++) {
                    check(problems, id + " signature input " + sd.inputs(k).name(), (int) sd.inputs(k).tensorIndex(),
                            ours.inputs().get(sd.inputs(k).name()));
                }
            }
        }
        assertTrue(operators > 1000 && withOptions > 500, operators + " operators, " + withOptions + " with options");
        assertTrue(problems.isEmpty(), problems.size() + " differences:\n" + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
    }

    private static void compareTensor(List<String> problems, String w, dev.minnow.schema.tflite.Model g,
                                      dev.minnow.schema.tflite.Tensor t, TensorInfo ours) {
        String tw = w + " tensor " + ours.index() + " '" + ours.name() + "'";
        check(problems, tw + " name", t.name() == null ? "" : t.name(), ours.name());
        check(problems, tw + " type", (int) t.type(), ours.type().code());
        check(problems, tw + " shape", ints(t.shapeLength(), t::shape), ours.shape());
        check(problems, tw + " shape signature", ints(t.shapeSignatureLength(), t::shapeSignature), ours.shapeSignature());
        check(problems, tw + " buffer", (int) t.buffer(), ours.bufferIndex());
        check(problems, tw + " variable", t.isVariable(), ours.isVariable());
        check(problems, tw + " has_rank", t.hasRank(), ours.hasRank());
        check(problems, tw + " sparse", t.sparsity() != null, ours.isSparse());
        var buf = g.buffersLength() > t.buffer() ? g.buffers((int) t.buffer()) : null;
        byte[] data = null;
        if (buf != null && buf.dataLength() > 0) {
            data = new byte[buf.dataLength()];
            buf.dataAsByteBuffer().get(data);
        }
        check(problems, tw + " data", data, ours.constantData());
        var q = t.quantization();
        Quantization oq = ours.quantization();
        if (q == null || q.scaleLength() == 0 || q.zeroPointLength() == 0) {
            check(problems, tw + " unquantized", false, oq.isQuantized());
        } else {
            float[] scales = new float[q.scaleLength()];
            for (int i = 0; i < scales.length; i++) scales[i] = q.scale(i);
            check(problems, tw + " scales", scales, oq.scales());
            for (int i = 0; i < scales.length; i++) {
                long zp = q.zeroPointLength() == scales.length ? q.zeroPoint(i) : q.zeroPoint(0);
                check(problems, tw + " zero point " + i, zp, oq.zeroPoint(i));
            }
            check(problems, tw + " quantized dimension", q.quantizedDimension(), oq.quantizedDimension());
        }
    }

    /** Every generated accessor of the options table against our decoded value. */
    private static void compareOptions(List<String> problems, String w, Object generated, BuiltinOptions ours) throws Exception {
        for (Method m : generated.getClass().getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers()) || m.getName().startsWith("__")) continue;
            String name = m.getName();
            if (m.getParameterCount() != 0 || name.endsWith("AsByteBuffer") || name.endsWith("InByteBuffer")) continue;
            if (name.endsWith("Length")) {
                String base = name.substring(0, name.length() - "Length".length());
                Method elem = generated.getClass().getMethod(base, int.class);
                int n = (int) m.invoke(generated);
                Object arr = ours.asMap().get(base);
                int len = arr == null ? -1 : java.lang.reflect.Array.getLength(arr);
                if (len != n) { problems.add(w + " " + base + ": length " + len + " vs " + n); continue; }
                for (int i = 0; i < n; i++) {
                    Object g = elem.invoke(generated, i);
                    Object o = java.lang.reflect.Array.get(arr, i);
                    if (!sameValue(o, g)) problems.add(w + " " + base + "[" + i + "]: " + o + " vs " + g);
                }
                continue;
            }
            if (!m.getReturnType().isPrimitive() && m.getReturnType() != String.class) continue;   // xVector() views
            Object g = m.invoke(generated);
            Object o = ours.asMap().get(name);
            if (g instanceof String || o instanceof String) {
                check(problems, w + " " + name, g, o);
            } else if (o == null || !sameValue(o, g)) {
                problems.add(w + " " + name + ": " + o + " vs generated " + g);
            }
        }
    }

    private interface IntAt { int get(int i); }

    private static int[] ints(int n, IntAt f) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = f.get(i);
        return out;
    }

    private static void check(List<String> problems, String what, Object expected, Object actual) {
        if (!java.util.Objects.deepEquals(expected, actual)) {
            String e = expected instanceof int[] a ? Arrays.toString(a) : String.valueOf(expected);
            String a = actual instanceof int[] x ? Arrays.toString(x) : String.valueOf(actual);
            problems.add(what + ": ours " + a + ", generated reader " + e);
        }
    }

    /** A scalar option value equal to what the generated accessor returns (numbers compared by value). */
    private static boolean sameValue(Object ours, Object generated) {
        if (ours instanceof Boolean || generated instanceof Boolean) return ours.equals(generated);
        if (ours instanceof Float || ours instanceof Double) {
            return Double.compare(((Number) ours).doubleValue(), ((Number) generated).doubleValue()) == 0;
        }
        return ((Number) ours).longValue() == ((Number) generated).longValue();
    }
}
