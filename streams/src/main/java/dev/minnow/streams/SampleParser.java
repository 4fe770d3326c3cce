package dev.minnow.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.minnow.emulator.detect.Decimal;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a telemetry record's value (UTF-8 JSON) into a {@link SampleBatch}. One sample:
 * {@code {"time": "2026-01-01T00:00:00" | 12.5, "values": [v0, v1, ...]}} with the values in the detector's channel
 * order, or {@code "values": {"<channel>": v, ...}} by channel name; a batch: {@code {"samples": [<sample>, ...]}}.
 * {@code time} is optional and kept as written (a number's text as in the record). Anything else (unknown fields, a
 * missing or extra channel, a non-finite number) is a {@link RejectedRecordException} naming the sample and what is
 * wrong; the whole record is then rejected, none of its samples used.
 */
public final class SampleParser {
    // Jackson's fast double parser is correctly rounded, as Double.parseDouble and the CSV reader are
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private final List<String> channels;
    private final Map<String, Integer> index = new HashMap<>();
    private final boolean[] seen;

    /** A parser for rows of the given channels (the pipeline config's, in order). */
    public SampleParser(List<String> channels) {
        this.channels = List.copyOf(channels);
        for (int i = 0; i < channels.size(); i++) index.put(channels.get(i), i);
        this.seen = new boolean[channels.size()];
    }

    /** Parses {@code json} into {@code out} (emptied first). */
    public void parse(byte[] json, SampleBatch out) {
        out.reset(channels.size());
        if (json == null) throw new RejectedRecordException("record has no value");
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new RejectedRecordException("record is not a JSON object");
            boolean batch = false, single = false;
            // a single sample's fields are read straight into row 0
            int row = -1;
            boolean hasValues = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "samples" -> {
                        if (single) throw new RejectedRecordException("record mixes 'samples' with a single sample's fields");
                        batch = true;
                        if (p.currentToken() != JsonToken.START_ARRAY) throw new RejectedRecordException("'samples' is not an array");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken() != JsonToken.START_OBJECT) {
                                throw new RejectedRecordException("sample " + (out.size() + 1) + " is not a JSON object");
                            }
                            sample(p, out);
                        }
                    }
                    case "time", "values" -> {
                        if (batch) throw new RejectedRecordException("record mixes 'samples' with a single sample's fields");
                        single = true;
                        if (row < 0) row = out.addRow();
                        if (f.equals("time")) {
                            out.time(row, time(p, 1));
                        } else {
                            values(p, out, row);
                            hasValues = true;
                        }
                    }
                    default -> throw new RejectedRecordException("record has an unknown field '" + f + "' (samples, time, values)");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new RejectedRecordException("record has trailing content after its JSON object");
            }
            if (single && !hasValues) throw new RejectedRecordException("sample 1 has no 'values'");
            if (!single && !batch) throw new RejectedRecordException("record has neither 'values' nor 'samples'");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RejectedRecordException("record is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at byte " + e.getLocation().getByteOffset() : ""), e);
        } catch (IOException e) {
            throw new RejectedRecordException("record cannot be read: " + e.getMessage(), e);
        }
    }

    private void sample(JsonParser p, SampleBatch out) throws IOException {
        int row = out.addRow();
        boolean hasValues = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "time" -> out.time(row, time(p, row + 1));
                case "values" -> {
                    values(p, out, row);
                    hasValues = true;
                }
                default -> throw new RejectedRecordException("sample " + (row + 1) + " has an unknown field '" + f + "' (time, values)");
            }
        }
        if (!hasValues) throw new RejectedRecordException("sample " + (row + 1) + " has no 'values'");
    }

    private static String time(JsonParser p, int sample) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getText();
        if (t == JsonToken.VALUE_NULL) return null;
        throw new RejectedRecordException("sample " + sample + ": 'time' is " + kind(t) + ", not a string or number");
    }

    private void values(JsonParser p, SampleBatch out, int row) throws IOException {
        int n = channels.size();
        if (p.currentToken() == JsonToken.START_ARRAY) {
            int c = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (c >= n) throw new RejectedRecordException("sample " + (row + 1) + " has more than the detector's " + n + " channels "
                        + channels);
                out.set(row, c, number(p, row, channels.get(c)));
                c++;
            }
            if (c != n) throw new RejectedRecordException("sample " + (row + 1) + " has " + c + " values, the detector's channels are "
                    + n + " " + channels);
        } else if (p.currentToken() == JsonToken.START_OBJECT) {
            java.util.Arrays.fill(seen, false);
            int got = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                Integer c = index.get(name);
                if (c == null) throw new RejectedRecordException("sample " + (row + 1) + " has a value for '" + name
                        + "', not one of the detector's channels " + channels);
                if (seen[c]) throw new RejectedRecordException("sample " + (row + 1) + " gives channel '" + name + "' twice");
                seen[c] = true;
                got++;
                out.set(row, c, number(p, row, name));
            }
            if (got != n) {
                for (int c = 0; c < n; c++) {
                    if (!seen[c]) throw new RejectedRecordException("sample " + (row + 1) + " has no value for channel '" + channels.get(c) + "'");
                }
            }
        } else {
            throw new RejectedRecordException("sample " + (row + 1) + ": 'values' is neither an array nor an object");
        }
    }

    private static String kind(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            default -> t.toString();
        };
    }

    private static float number(JsonParser p, int row, String channel) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new RejectedRecordException("sample " + (row + 1) + " channel '" + channel + "' is " + kind(t) + ", not a number");
        }
        // the CSV reader's decimal reading (fast path, else the JDK's; both correctly rounded), then to float for the
        // firmware's float arithmetic
        double v = Decimal.parse(p.getTextCharacters(), p.getTextOffset(), p.getTextOffset() + p.getTextLength());
        if (Double.isNaN(v)) v = p.getDoubleValue();
        if (!Double.isFinite(v)) {
            throw new RejectedRecordException("sample " + (row + 1) + " channel '" + channel + "' " + p.getText() + " is not a finite number");
        }
        return (float) v;
    }
}
