package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ModelWriter through the calls the engine's tests use (it replaced their ModelBuilder), and what that builder could
 * not: several subgraphs, signatures, shape signatures, per-channel quantization on any axis, builtin_options_2.
 * Malformed requests fail with messages that name the problem.
 */
class ModelWriterTest {

    /** A model built through the calls. */
    interface Recipe {
        void apply(Calls b);
    }

    /** The builder calls the engine's tests make. */
    interface Calls {
        int addTensor(String name, DataType type, int[] shape, Quantization q);
        int addConstant(String name, DataType type, int[] shape, Quantization q, byte[] data);
        int addVariable(String name, DataType type, int[] shape, Quantization q);
        void addOperator(String op, int version, int[] in, int[] out, String optionsType, Map<String, Object> options);
        void addOperator(String op, int version, int[] in, int[] out, int[] intermediates, String optionsType, Map<String, Object> options);
        void addCustomOperator(String code, int version, int[] in, int[] out, byte[] options);
        void setInputs(int... t);
        void setOutputs(int... t);
        void addMetadata(String name, byte[] data);
        byte[] build();
    }

    static Calls writer(ModelWriter b) {
        return new Calls() {
            public int addTensor(String n, DataType t, int[] s, Quantization q) { return b.addTensor(n, t, s, q); }
            public int addConstant(String n, DataType t, int[] s, Quantization q, byte[] d) { return b.addConstant(n, t, s, q, d); }
            public int addVariable(String n, DataType t, int[] s, Quantization q) { return b.addVariable(n, t, s, q); }
            public void addOperator(String o, int v, int[] i, int[] out, String ot, Map<String, Object> opt) { b.addOperator(o, v, i, out, ot, opt); }
            public void addOperator(String o, int v, int[] i, int[] out, int[] im, String ot, Map<String, Object> opt) { b.addOperator(o, v, i, out, im, ot, opt); }
            public void addCustomOperator(String c, int v, int[] i, int[] out, byte[] opt) { b.addCustomOperator(c, v, i, out, opt); }
            public void setInputs(int... t) { b.setInputs(t); }
            public void setOutputs(int... t) { b.setOutputs(t); }
            public void addMetadata(String n, byte[] d) { b.addMetadata(n, d); }
            public byte[] build() { return b.setDescription("same").build(); }
        };
    }

    static final List<Recipe> RECIPES = List.of(
            // FULLY_CONNECTED with per-channel weights, RESHAPE with options, metadata (ModelFormatTest's model)
            b -> {
                Quantization q = new Quantization(new float[] {0.5f}, new long[] {3}, 0);
                int in = b.addTensor("in", DataType.INT8, new int[] {1, 4}, q);
                int w = b.addConstant("w", DataType.INT8, new int[] {3, 4}, new Quantization(new float[] {0.1f, 0.2f, 0.3f}, new long[] {0, 0, 0}, 0),
                        new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
                int bias = b.addConstant("b", DataType.INT32, new int[] {3}, new Quantization(new float[] {0.05f, 0.1f, 0.15f}, new long[] {0, 0, 0}, 0),
                        LeArrays.ints(new int[] {7, -8, 9}));
                int fc = b.addTensor("fc", DataType.INT8, new int[] {1, 3}, q);
                int shape = b.addConstant("shape", DataType.INT32, new int[] {2}, null, LeArrays.ints(new int[] {3, 1}));
                int out = b.addTensor("out", DataType.INT8, new int[] {3, 1}, q);
                b.addOperator("FULLY_CONNECTED", 4, new int[] {in, w, bias}, new int[] {fc}, "FullyConnectedOptions",
                        Map.of("fusedActivationFunction", 1, "keepNumDims", false));
                b.addOperator("RESHAPE", 1, new int[] {fc, shape}, new int[] {out}, "ReshapeOptions", Map.of("newShape", new int[] {3, 1}));
                b.setInputs(in);
                b.setOutputs(out);
                b.addMetadata("min_runtime_version", "1.5.0\0".getBytes(StandardCharsets.US_ASCII));
            },
            // LSTM with variables and intermediates, optional inputs omitted
            b -> {
                int in = b.addTensor("x", DataType.FLOAT32, new int[] {1, 2, 3}, null);
                int[] inputs = new int[24];
                java.util.Arrays.fill(inputs, -1);
                inputs[0] = in;
                for (int k = 1; k <= 8; k++) inputs[k] = b.addConstant("w" + k, DataType.FLOAT32, new int[] {4, k <= 4 ? 3 : 4}, null, new byte[4 * 4 * (k <= 4 ? 3 : 4)]);
                for (int k = 12; k <= 15; k++) inputs[k] = b.addConstant("b" + k, DataType.FLOAT32, new int[] {4}, null, new byte[16]);
                inputs[18] = b.addVariable("h", DataType.FLOAT32, new int[] {1, 4}, null);
                inputs[19] = b.addVariable("c", DataType.FLOAT32, new int[] {1, 4}, null);
                int im = b.addTensor("im", DataType.FLOAT32, new int[] {0}, null);
                int out = b.addTensor("y", DataType.FLOAT32, new int[] {1, 2, 4}, null);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("fusedActivationFunction", 4);
                o.put("cellClip", 10f);
                o.put("timeMajor", false);
                b.addOperator("UNIDIRECTIONAL_SEQUENCE_LSTM", 1, inputs, new int[] {out}, new int[] {im, -1}, "UnidirectionalSequenceLSTMOptions", o);
                b.setInputs(in);
                b.setOutputs(out);
            },
            // custom operator with flexbuffer options, an operator without options, an empty options table
            b -> {
                int in = b.addTensor("in", DataType.INT16, new int[] {8}, null);
                int mid = b.addTensor("mid", DataType.INT16, new int[] {8}, null);
                int out = b.addTensor("out", DataType.INT16, new int[] {8}, null);
                b.addCustomOperator("SignalWindow", 1, new int[] {in}, new int[] {mid}, new byte[] {1, 2, 3, 4});
                b.addOperator("ABS", 2, new int[] {mid}, new int[] {out}, null, null);
                b.addOperator("NEG", 1, new int[] {out}, new int[] {mid}, "NegOptions", Map.of());
                b.setInputs(in);
                b.setOutputs(mid);
            });

    @Test
    void theBuilderCallsTheTestsUseWriteModelsThatSurviveARoundTrip() {
        for (int r = 0; r < RECIPES.size(); r++) {
            Calls w = writer(new ModelWriter());
            RECIPES.get(r).apply(w);
            Model m = Model.load(w.build());
            RoundTripCorpusTest.assertSameModel(m, Model.load(ModelWriter.write(m)), "recipe " + r);
        }
    }

    @Test
    void writesSubgraphsSignaturesAndAnyQuantizationAxis() {
        ModelWriter w = new ModelWriter().setDescription("two subgraphs");
        SubgraphWriter main = w.main();
        int x = main.addTensor(new TensorSpec("x", DataType.INT8, new int[] {1, 4}, new int[] {-1, 4},
                new Quantization(new float[] {0.5f}, new long[] {1}, 0), false, 0, true));
        int y = main.addTensor("y", DataType.INT8, new int[] {1, 4}, new Quantization(new float[] {0.5f}, new long[] {1}, 0));
        main.addOperator("CALL_ONCE", 1, new int[0], new int[0], new int[0], "CallOnceOptions", Map.of("initSubgraphIndex", 1));
        main.addOperator("ABS", 1, new int[] {x}, new int[] {y}, new int[0], null, null);
        main.setInputs(x).setOutputs(y);
        SubgraphWriter init = w.addSubgraph("init");
        int c = init.addConstant("dw", DataType.INT8, new int[] {1, 2, 2, 3},
                new Quantization(new float[] {0.1f, 0.2f, 0.3f}, new long[] {0, 0, 0}, 3), new byte[12]);
        init.setOutputs(c);
        main.addOperator(new OperatorSpec(OperatorSpec.builtinCode("STABLEHLO_COMPOSITE"), null, 1, new int[0], new int[0], null,
                OptionsTable.NONE, null, OptionsTable.of("StableHLOCompositeOptions", Map.of("name", "odml.rms_norm", "decompositionSubgraphIndex", 1))));
        w.addSignature("serving_default", 0, Map.of("x", x), Map.of("y", y));
        Model m = Model.load(w.toByteArray());
        assertEquals(2, m.subgraphs().size());
        assertEquals("init", m.subgraphs().get(1).name());
        assertArrayEquals(new int[] {-1, 4}, m.mainSubgraph().tensor(x).shapeSignature());
        assertEquals(3, m.subgraphs().get(1).tensor(c).quantization().quantizedDimension());
        assertEquals("odml.rms_norm", m.mainSubgraph().operators().get(2).builtinOptions2().getString("name", null));
        assertEquals(Map.of("x", x), m.signatureDefs().get(0).inputs());
        RoundTripCorpusTest.assertSameModel(m, Model.load(ModelWriter.write(m)), "two subgraphs");
        assertTrue(new String(m.toByteArray(), 4, 4, StandardCharsets.US_ASCII).equals("TFL3"));
    }

    @Test
    void constantDataIsSixteenByteAligned() {
        ModelWriter w = new ModelWriter();
        int a = w.addConstant("a", DataType.INT8, new int[] {3}, null, new byte[] {1, 2, 3});
        int b = w.addConstant("b", DataType.FLOAT32, new int[] {5}, null, LeArrays.floats(new float[] {1, 2, 3, 4, 5}));
        w.setInputs().setOutputs(a, b);
        byte[] bytes = w.toByteArray();
        byte[] floats = LeArrays.floats(new float[] {1, 2, 3, 4, 5});
        int at = indexOf(bytes, floats);
        assertTrue(at > 0 && at % 16 == 0, "float data at " + at);
        assertTrue(indexOf(bytes, new byte[] {1, 2, 3}) % 16 == 0);
    }

    @Test
    void malformedRequestsAreNamed() {
        ModelWriter w = new ModelWriter();
        int t = w.addTensor("t", DataType.FLOAT32, new int[] {2}, null);
        w.addOperator("ABS", 1, new int[] {t}, new int[] {5}, null, null);
        var e = assertThrows(IllegalStateException.class, w::toByteArray);
        assertTrue(e.getMessage().contains("operator 0 (ABS) outputs[0] = 5 names no tensor (subgraph has 1)"), e.getMessage());

        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new ModelWriter().addConstant("c", DataType.FLOAT32, new int[] {4}, null, new byte[8]));
        assertTrue(e2.getMessage().contains("8 bytes for shape [4] of float32, which needs 16"), e2.getMessage());

        var e3 = assertThrows(IllegalArgumentException.class, () -> new ModelWriter().addTensor("n", DataType.INT8, new int[] {2, -1}, null));
        assertTrue(e3.getMessage().contains("negative dimension"), e3.getMessage());

        var e4 = assertThrows(IllegalArgumentException.class, () -> new ModelWriter().addOperator("NOT_AN_OP", 1, new int[0], new int[0], null, null));
        assertTrue(e4.getMessage().contains("unknown builtin operator 'NOT_AN_OP'"), e4.getMessage());

        ModelWriter s = new ModelWriter();
        int x = s.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        s.setInputs(x).setOutputs(x).addSignature("k", 0, Map.of("x", 9), Map.of());
        var e5 = assertThrows(IllegalStateException.class, s::toByteArray);
        assertTrue(e5.getMessage().contains("signature 'k' entry 'x': tensor 9 of 1"), e5.getMessage());

        assertThrows(IllegalStateException.class, () -> new ModelWriter().toByteArray());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
