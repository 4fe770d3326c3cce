package dev.minnow.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The module's one Jackson mapper: records in and out, unknown fields rejected, output indented. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final ObjectMapper COMPACT = MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** The shared mapper (configured as above); do not reconfigure it. */
    public static ObjectMapper mapper() { return MAPPER; }

    /** A classpath resource of this jar read as {@code type}; a missing or unreadable resource is a packaging error. */
    public static <T> T resource(String path, Class<T> type) {
        try (java.io.InputStream in = Json.class.getResourceAsStream(path)) {
            if (in == null) throw new EmulatorException("resource " + path + " is missing from the emulator jar");
            return MAPPER.readValue(in, type);
        } catch (java.io.IOException e) {
            throw new EmulatorException("cannot read resource " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code value} as indented JSON. */
    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EmulatorException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as one line of JSON (for JSON-lines output). */
    public static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new EmulatorException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
