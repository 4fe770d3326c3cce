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
 *
 * <p>The common form (fields {@code time} and {@code values}, values as an array, times as plain ASCII strings or
 * numbers, compact or spaced) is read by a byte scanner that accepts only strict JSON and gives the very values,
 * times and rows Jackson's reading gives; anything else (names, escapes, non-ASCII text, any doubt or error) is
 * read again by Jackson, whose reading also names the errors. Both read numbers with the CSV reader's
 * {@link Decimal}.
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
        if (json == null) throw new RejectedRecordException("record has no value");
        if (!scan(json, out)) parseWithJackson(json, out);
    }

    /** The scanner's reading of a record of the common form; false (batch undefined) for any other record. */
    boolean scan(byte[] json, SampleBatch out) { return new Scanner(json, out).record(); }

    /** Jackson's reading of the record (every form, and the errors' messages); the scanner's fallback. */
    void parseWithJackson(byte[] json, SampleBatch out) {
        out.reset(channels.size());
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

    /** Longest number or time text the scanner reads itself (far below Jackson's limits). */
    private static final int MAX_NUMBER = 100;
    /** The scanner's buffer for a number's text (Decimal reads chars). */
    private char[] digits = new char[32];

    /**
     * The fast reading of the common form: strict JSON, field names {@code samples}, {@code time} and {@code values}
     * only, values as an array of exactly the channels' count of finite numbers, times as strings of printable ASCII
     * without escapes, or numbers, or null. {@link #record()} returns false (and the caller reads the record with
     * Jackson) at anything else, so what it accepts it reads exactly as Jackson does.
     */
    private final class Scanner {
        private final byte[] b;
        private final SampleBatch out;
        private int i;

        Scanner(byte[] b, SampleBatch out) {
            this.b = b;
            this.out = out;
        }

        /** Reads the whole record into the batch; false when the record is not of the common form. */
        boolean record() {
            out.reset(channels.size());
            if (!take('{')) return false;
            if (peekName("samples")) {
                i += "\"samples\"".length();
                if (!take(':') || !take('[')) return false;
                if (!sample()) return false;
                while (true) {
                    if (take(',')) {
                        if (!sample()) return false;
                    } else if (take(']')) {
                        break;
                    } else {
                        return false;
                    }
                }
                if (!take('}')) return false;
            } else if (!fields(out.addRow())) {
                return false;
            }
            skipSpace();
            return i == b.length;
        }

        /** One {@code {...}} sample of a batch. */
        private boolean sample() {
            return take('{') && fields(out.addRow());
        }

        /** A sample's fields up to and including its closing brace: values once, time at most once. */
        private boolean fields(int row) {
            boolean time = false, values = false;
            do {
                if (!time && peekName("time")) {
                    i += "\"time\"".length();
                    if (!take(':') || !time(row)) return false;
                    time = true;
                } else if (!values && peekName("values")) {
                    i += "\"values\"".length();
                    if (!take(':') || !values(row)) return false;
                    values = true;
                } else {
                    return false;
                }
            } while (take(','));
            return values && take('}');
        }

        private boolean time(int row) {
            skipSpace();
            if (i >= b.length) return false;
            byte c = b[i];
            if (c == '"') {
                int s = ++i;
                while (i < b.length && b[i] != '"') {
                    if (i - s > MAX_NUMBER) return false;
                    if (b[i] < 0x20 || b[i] > 0x7e || b[i] == '\\') return false;
                    i++;
                }
                if (i >= b.length) return false;
                out.time(row, b, s, i);
                i++;
                return true;
            }
            if (c == 'n') {
                if (i + 4 > b.length || b[i + 1] != 'u' || b[i + 2] != 'l' || b[i + 3] != 'l') return false;
                i += 4;
                return true;
            }
            int s = i, e = numberEnd();
            if (e < 0 || e - s > MAX_NUMBER) return false;
            out.time(row, b, s, e);
            return true;
        }

        private boolean values(int row) {
            if (!take('[')) return false;
            int n = channels.size();
            for (int c = 0; c < n; c++) {
                if (c > 0 && !take(',')) return false;
                skipSpace();
                int s = i, e = numberEnd();
                if (e < 0) return false;
                int len = e - s;
                if (len > MAX_NUMBER) return false; // Jackson limits a number's length: let it judge
                if (digits.length < len) digits = new char[Math.max(len, 2 * digits.length)];
                for (int k = 0; k < len; k++) digits[k] = (char) b[s + k];
                double v = Decimal.parse(digits, 0, len);
                if (Double.isNaN(v)) v = Double.parseDouble(new String(digits, 0, len));
                if (!Double.isFinite(v)) return false; // Jackson's reading names the channel
                out.set(row, c, (float) v);
            }
            return take(']');
        }

        /**
         * Scans a JSON number from {@code i} (strict grammar: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]?
         * [0-9]+)?}) followed by a delimiter; its end, or -1.
         */
        private int numberEnd() {
            int k = i;
            if (k < b.length && b[k] == '-') k++;
            if (k >= b.length) return -1;
            if (b[k] == '0') {
                k++;
            } else if (b[k] >= '1' && b[k] <= '9') {
                while (k < b.length && b[k] >= '0' && b[k] <= '9') k++;
            } else {
                return -1;
            }
            if (k < b.length && b[k] == '.') {
                int f = ++k;
                while (k < b.length && b[k] >= '0' && b[k] <= '9') k++;
                if (k == f) return -1;
            }
            if (k < b.length && (b[k] == 'e' || b[k] == 'E')) {
                k++;
                if (k < b.length && (b[k] == '+' || b[k] == '-')) k++;
                int f = k;
                while (k < b.length && b[k] >= '0' && b[k] <= '9') k++;
                if (k == f) return -1;
            }
            if (k < b.length) {
                byte d = b[k];
                if (d != ',' && d != ']' && d != '}' && d != ' ' && d != '\t' && d != '\n' && d != '\r') return -1;
            }
            i = k;
            return k;
        }

        /** Whether the next token is the field name {@code "name"} (no escapes), spaces skipped. */
        private boolean peekName(String name) {
            skipSpace();
            int n = name.length();
            if (i + n + 2 > b.length || b[i] != '"' || b[i + n + 1] != '"') return false;
            for (int k = 0; k < n; k++) if (b[i + 1 + k] != name.charAt(k)) return false;
            return true;
        }

        /** Skips spaces, then consumes {@code c} if it is next. */
        private boolean take(char c) {
            skipSpace();
            if (i < b.length && b[i] == c) {
                i++;
                return true;
            }
            return false;
        }

        private void skipSpace() {
            while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r')) i++;
        }
    }
}
