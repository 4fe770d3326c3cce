package dev.minnow.streams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A rejected record on the dead-letter topic (JSON, keyed by device): why, where it came from, and the record's
 * value (as text when it is UTF-8, else base64) so it can be fixed and replayed.
 *
 * @param device    the record's key (null when it had none)
 * @param error     what is wrong
 * @param topic     source topic, null when unknown
 * @param partition source partition, -1 when unknown
 * @param offset    source offset, -1 when unknown
 * @param value     the value as UTF-8 text, null when it was not UTF-8 (see valueBase64) or absent
 * @param valueBase64 the value in base64 when it was not UTF-8
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeadLetter(String device, String error, String topic, int partition, long offset, String value, String valueBase64) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A dead letter for {@code value}, text when it decodes as UTF-8. */
    public static DeadLetter of(String device, String error, String topic, int partition, long offset, byte[] value) {
        if (value == null) return new DeadLetter(device, error, topic, partition, offset, null, null);
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
            return new DeadLetter(device, error, topic, partition, offset, text, null);
        } catch (CharacterCodingException e) {
            return new DeadLetter(device, error, topic, partition, offset, null, Base64.getEncoder().encodeToString(value));
        }
    }

    /** The JSON bytes. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a dead letter", e);
        }
    }

    /** Reads the JSON bytes. */
    public static DeadLetter parse(byte[] json) {
        try {
            return JSON.readValue(json, DeadLetter.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a dead letter: " + e.getMessage(), e);
        }
    }
}
