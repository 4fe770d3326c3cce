package dev.minnow.writer;

import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every options table of both unions is written from a name -> value map with a non-default value in every field
 * and reads back through the engine's model reader with those values: the generic writer covers the whole schema,
 * not only the tables the corpus happens to use.
 */
class OptionsWriterTest {

    @Test
    void everyTableOfBothUnionsRoundTripsWithEveryField() throws Exception {
        int tables = 0, fields = 0;
        for (OptionsWriter w : new OptionsWriter[] {OptionsWriter.BUILTIN, OptionsWriter.BUILTIN_2}) {
            for (String type : w.tableNames()) {
                Map<String, Object> values = sampleValues(type);
                fields += values.size();
                ModelWriter m = new ModelWriter();
                int in = m.addTensor("in", DataType.FLOAT32, new int[] {1}, Quantization.NONE);
                int out = m.addTensor("out", DataType.FLOAT32, new int[] {1}, Quantization.NONE);
                OptionsTable table = new OptionsTable(type, values, true);
                boolean second = w == OptionsWriter.BUILTIN_2;
                m.main().addOperator(new OperatorSpec(OperatorSpec.builtinCode("ABS"), null, 1, new int[] {in}, new int[] {out},
                        null, second ? OptionsTable.NONE : table, null, second ? table : OptionsTable.NONE));
                m.setInputs(in).setOutputs(out);
                OperatorInfo op = Model.load(m.toByteArray()).mainSubgraph().operators().get(0);
                BuiltinOptions read = second ? op.builtinOptions2() : op.options();
                assertEquals(type, read.type());
                assertTrue(read.isPresent(), type);
                for (var e : values.entrySet()) {
                    assertEquals(normalise(e.getValue()), normalise(read.asMap().get(e.getKey())), type + "." + e.getKey());
                }
                tables++;
            }
        }
        assertEquals(OptionsWriter.BUILTIN.tableNames().length + OptionsWriter.BUILTIN_2.tableNames().length, tables);
        assertTrue(tables >= 140 && fields > 200, tables + " tables, " + fields + " fields");
        System.out.printf("options: %d tables, %d fields written and read back%n", tables, fields);
    }

    @Test
    void unknownFieldsAndTypesAreNamed() {
        ModelWriter m = new ModelWriter();
        int in = m.addTensor("in", DataType.FLOAT32, new int[] {1}, Quantization.NONE);
        m.addOperator("RELU", 1, new int[] {in}, new int[] {in}, "Conv2DOptions", Map.of("strideQ", 1));
        var e = assertThrows(IllegalArgumentException.class, m::toByteArray);
        assertTrue(e.getMessage().contains("Conv2DOptions has no field 'strideQ'"), e.getMessage());
        ModelWriter m2 = new ModelWriter();
        int in2 = m2.addTensor("in", DataType.FLOAT32, new int[] {1}, Quantization.NONE);
        m2.addOperator("RELU", 1, new int[] {in2}, new int[] {in2}, "NoSuchOptions", Map.of());
        var e2 = assertThrows(IllegalArgumentException.class, m2::toByteArray);
        assertTrue(e2.getMessage().contains("'NoSuchOptions' is not a table of union BuiltinOptions"), e2.getMessage());
    }

    /** A value for every field of the generated table class, chosen away from the usual defaults. */
    private static Map<String, Object> sampleValues(String type) throws Exception {
        Class<?> c = Class.forName("dev.minnow.schema.tflite." + type);
        Map<String, Object> values = new LinkedHashMap<>();
        int k = 2;
        for (Method add : c.getMethods()) {
            if (!Modifier.isStatic(add.getModifiers()) || !add.getName().startsWith("add") || add.getParameterCount() != 2) continue;
            String suffix = add.getName().substring(3);
            String field = Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1);
            Method getter = find(c, field, 0);
            Method vector = find(c, field, 1);
            if (getter == null && vector == null) continue;   // deprecated fields have no accessor
            Class<?> p = add.getParameterTypes()[1];
            if (vector != null && vector.getParameterTypes()[0] == int.class && find(c, field + "Length", 0) != null) {
                Class<?> el = vector.getReturnType();
                Object arr = Array.newInstance(el == boolean.class ? boolean.class : el == float.class ? float.class
                        : el == double.class ? double.class : el == long.class ? long.class : int.class, 3);
                for (int i = 0; i < 3; i++) {
                    if (el == boolean.class) Array.setBoolean(arr, i, i != 1);
                    else if (el == float.class) Array.setFloat(arr, i, 0.5f * (i + k));
                    else if (el == double.class) Array.setDouble(arr, i, 0.25 * (i + k));
                    else if (el == long.class) Array.setLong(arr, i, 5L + i + k);
                    else Array.setInt(arr, i, i + k);
                }
                values.put(field, arr);
            } else if (getter.getReturnType() == String.class) {
                values.put(field, "s" + k);
            } else if (p == boolean.class) {
                values.put(field, Boolean.TRUE);
            } else if (p == float.class) {
                values.put(field, 1.5f + k);
            } else if (p == double.class) {
                values.put(field, 2.5 + k);
            } else if (p == long.class) {
                values.put(field, (long) k + 3);
            } else {
                values.put(field, (k % 3) + 1);
            }
            k++;
        }
        return values;
    }

    private static Method find(Class<?> c, String name, int params) {
        for (Method m : c.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) && m.getName().equals(name) && m.getParameterCount() == params) return m;
        }
        return null;
    }

    /** Numbers and arrays compared by value whatever their Java width. */
    private static Object normalise(Object v) {
        if (v == null) return null;
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            java.util.List<Object> l = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) l.add(normalise(Array.get(v, i)));
            return l;
        }
        if (v instanceof Float f) return (double) f;
        if (v instanceof Double d) return d;
        if (v instanceof Number num) return num.longValue();
        return v;
    }
}
