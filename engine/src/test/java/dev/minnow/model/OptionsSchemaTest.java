package dev.minnow.model;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated options layouts agree with the flatc-generated classes of the same schema: same union order,
 * the same accessor names with compatible types, and the same defaults (read back from empty tables through
 * the generated accessors).
 */
class OptionsSchemaTest {

    @Test
    void unionOrderMatchesGeneratedClasses() {
        check(OptionsSchema.BUILTIN_OPTIONS, dev.minnow.schema.tflite.BuiltinOptions.names);
        check(OptionsSchema.BUILTIN_OPTIONS_2, dev.minnow.schema.tflite.BuiltinOptions2.names);
    }

    private static void check(OptionsLayout[] layouts, String[] names) {
        assertEquals(names.length, layouts.length, "union member count");
        for (int i = 1; i < names.length; i++) assertEquals(names[i], layouts[i].name(), "union member " + i);
    }

    @Test
    void fieldsAndDefaultsMatchGeneratedAccessors() throws Exception {
        List<String> problems = new ArrayList<>();
        int fields = 0;
        for (OptionsLayout[] union : List.of(OptionsSchema.BUILTIN_OPTIONS, OptionsSchema.BUILTIN_OPTIONS_2)) {
            for (int t = 1; t < union.length; t++) {
                OptionsLayout layout = union[t];
                Class<?> cls = Class.forName("dev.minnow.schema.tflite." + layout.name());
                Map<String, Method> accessors = new HashMap<>();
                for (Method m : cls.getDeclaredMethods()) {
                    if (Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers())) continue;
                    if (m.getName().startsWith("__")) continue;
                    accessors.put(m.getName() + "/" + m.getParameterCount(), m);
                }
                Object empty = emptyTable(cls, layout.name());
                for (OptionsLayout.Field f : layout.fields()) {
                    if (f.deprecated()) continue;
                    fields++;
                    String where = layout.name() + "." + f.name();
                    if (f.kind().isVector()) {
                        if (!accessors.containsKey(f.name() + "Length/0") || !accessors.containsKey(f.name() + "/1")) {
                            problems.add(where + ": no generated vector accessors");
                        }
                        continue;
                    }
                    Method m = accessors.get(f.name() + "/0");
                    if (m == null) { problems.add(where + ": no generated accessor"); continue; }
                    if (f.kind() == OptionsLayout.Kind.STRING) {
                        if (m.getReturnType() != String.class) problems.add(where + ": generated type " + m.getReturnType());
                        continue;
                    }
                    Object generated = m.invoke(empty);
                    if (!sameValue(f.defaultValue(), generated)) {
                        problems.add(where + ": default " + f.defaultValue() + ", generated accessor gives " + generated);
                    }
                }
                // Every generated scalar/string/vector accessor is covered by the layout.
                for (String key : accessors.keySet()) {
                    String name = key.substring(0, key.indexOf('/'));
                    if (!key.endsWith("/0") || name.endsWith("AsByteBuffer") || name.endsWith("InByteBuffer")
                            || name.endsWith("Vector") || name.endsWith("Length")) continue;
                    boolean known = false;
                    for (OptionsLayout.Field f : layout.fields()) known |= f.name().equals(name);
                    if (!known) problems.add(layout.name() + ": generated accessor " + name + " missing from the layout");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(fields >= 200, "only " + fields + " fields checked");
    }

    private static Object emptyTable(Class<?> cls, String name) throws Exception {
        FlatBufferBuilder b = new FlatBufferBuilder(64);
        cls.getMethod("start" + name, FlatBufferBuilder.class).invoke(null, b);
        int o = (Integer) cls.getMethod("end" + name, FlatBufferBuilder.class).invoke(null, b);
        b.finish(o);
        ByteBuffer bb = b.dataBuffer();
        Table t = (Table) cls.getDeclaredConstructor().newInstance();
        cls.getMethod("__init", int.class, ByteBuffer.class).invoke(t, bb.getInt(bb.position()) + bb.position(), bb);
        return t;
    }

    /** Compares our boxed value with the generated accessor's (which returns byte for int8 fields, etc.). */
    static boolean sameValue(Object ours, Object generated) {
        if (ours instanceof Boolean || generated instanceof Boolean) return ours.equals(generated);
        if (ours instanceof Float || ours instanceof Double) {
            return Double.compare(((Number) ours).doubleValue(), ((Number) generated).doubleValue()) == 0;
        }
        return ((Number) ours).longValue() == ((Number) generated).longValue();
    }
}
