package dev.minnow.writer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The builtin options of an operator to write: the schema table's name ({@code "Conv2DOptions"}) and its fields
 * by camel-case name, valued as the engine's {@code BuiltinOptions} reads them (see {@link OptionsWriter}).
 *
 * @param type    the options table name, "NONE" for an operator without options
 * @param values  field name to value; fields left out take the schema default
 * @param present whether the table itself is written (a type without a table is legal in the schema and reads back
 *                as options without values)
 */
public record OptionsTable(String type, Map<String, Object> values, boolean present) {
    /** No options. */
    public static final OptionsTable NONE = new OptionsTable("NONE", Map.of(), false);

    public OptionsTable {
        Objects.requireNonNull(type, "type");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        if (type.equals("NONE") && (present || !values.isEmpty())) {
            throw new IllegalArgumentException("options of type NONE cannot hold values " + values.keySet());
        }
    }

    /** A written table of {@code type} with these values; null or "NONE" gives {@link #NONE}. */
    public static OptionsTable of(String type, Map<String, Object> values) {
        if (type == null || type.equals("NONE")) {
            if (values != null && !values.isEmpty()) throw new IllegalArgumentException("values " + values.keySet() + " without an options type");
            return NONE;
        }
        return new OptionsTable(type, values == null ? Map.of() : values, true);
    }

    /** True for {@link #NONE}. */
    public boolean isNone() { return type.equals("NONE"); }
}
