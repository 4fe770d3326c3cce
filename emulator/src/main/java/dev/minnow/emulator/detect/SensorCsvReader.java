package dev.minnow.emulator.detect;

import dev.minnow.emulator.InputFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streams a sensor CSV row by row with memory bounded by the longest line: a header line, then one row per line;
 * fields separated by one delimiter character, optionally quoted with {@code "} ({@code ""} inside for a quote).
 * Numbers are parsed in place without making strings. Blank lines are skipped. Every error names the stream, the
 * 1-based line and the column (character position) of the field.
 */
public final class SensorCsvReader implements AutoCloseable {
    /** Longest line accepted, in characters: a file without line breaks fails instead of filling the heap. */
    public static final int MAX_LINE = 1 << 20;

    private final Reader in;
    private final String name;
    private final char[] buf = new char[1 << 16];
    private int bufLen, bufPos;
    private boolean eof;
    private char[] line = new char[256];
    private int lineLen;
    private long lineNo;
    private int[] starts = new int[16], ends = new int[16];
    private boolean[] escaped = new boolean[16];
    private int fields;
    private final List<String> header;
    private final char delimiter;

    /**
     * Opens a stream and reads its header; {@code delimiter} null detects it from the header (the most frequent of
     * ',', ';' and tab outside quotes; ',' when none occurs).
     */
    public SensorCsvReader(InputStream stream, String name, Character delimiter) throws IOException {
        this.in = new InputStreamReader(stream, StandardCharsets.UTF_8);
        this.name = name;
        if (!readLine()) throw new InputFormatException(name, 1, 1, "empty input: no header line");
        if (lineLen > 0 && line[0] == '\uFEFF') {
            System.arraycopy(line, 1, line, 0, lineLen - 1);
            lineLen--;
        }
        this.delimiter = delimiter != null ? delimiter : detect();
        split();
        List<String> h = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            String s = text(i).trim();
            if (s.isEmpty()) throw new InputFormatException(name, lineNo, starts[i] + 1, "header column " + (i + 1) + " has no name");
            if (h.contains(s)) throw new InputFormatException(name, lineNo, starts[i] + 1, "header column '" + s + "' appears twice");
            h.add(s);
        }
        this.header = List.copyOf(h);
    }

    /** The stream's name in messages. */
    public String name() { return name; }

    /** The header's column names. */
    public List<String> header() { return header; }

    /** The delimiter in use. */
    public char delimiter() { return delimiter; }

    /** Index of the named column; fails naming the header's columns when there is none. */
    public int column(String columnName) {
        int i = header.indexOf(columnName);
        if (i < 0) {
            throw new InputFormatException(name, 1, 0, "no column '" + columnName + "' in the header; columns: " + String.join(", ", header));
        }
        return i;
    }

    /** Advances to the next data row; false at the end. A row with another field count than the header fails. */
    public boolean next() throws IOException {
        while (readLine()) {
            if (isBlank()) continue;
            split();
            if (fields != header.size()) {
                throw new InputFormatException(name, lineNo, fields > header.size() ? starts[header.size()] + 1 : lineLen + 1,
                        fields + " fields, the header has " + header.size());
            }
            return true;
        }
        return false;
    }

    /** 1-based line number of the current row. */
    public long line() { return lineNo; }

    /** The field as text (allocates). */
    public String text(int column) {
        String s = new String(line, starts[column], ends[column] - starts[column]);
        return escaped[column] ? s.replace("\"\"", "\"") : s;
    }

    /** Appends the field's text (trimmed, quotes undone) to {@code to}, without making a string. */
    public void appendText(int column, StringBuilder to) {
        int s = starts[column], e = ends[column];
        while (s < e && line[s] == ' ') s++;
        while (e > s && line[e - 1] == ' ') e--;
        if (!escaped[column]) {
            to.append(line, s, e - s);
            return;
        }
        for (int i = s; i < e; i++) {
            to.append(line[i]);
            if (line[i] == '"' && i + 1 < e && line[i + 1] == '"') i++;
        }
    }

    /** The field as a number when it is a plain decimal one (the in-place fast path), else NaN; never fails. */
    public double decimalOrNaN(int column) {
        int s = starts[column], e = ends[column];
        while (s < e && line[s] == ' ') s++;
        while (e > s && line[e - 1] == ' ') e--;
        return s == e ? Double.NaN : parse(s, e);
    }

    /** The field as a finite number; empty, malformed and non-finite values fail with line and column. */
    public double number(int column) {
        int s = starts[column], e = ends[column];
        while (s < e && line[s] == ' ') s++;
        while (e > s && line[e - 1] == ' ') e--;
        if (s == e) throw bad(column, "is empty, expected a number");
        double v = parse(s, e);
        if (Double.isNaN(v)) {
            try {
                v = Double.parseDouble(new String(line, s, e - s));
            } catch (NumberFormatException ex) {
                throw bad(column, "'" + new String(line, s, e - s) + "' is not a number");
            }
        }
        if (!Double.isFinite(v)) throw bad(column, "'" + new String(line, s, e - s) + "' is not a finite number");
        return v;
    }

    /** An error at the field's position. */
    public InputFormatException bad(int column, String what) {
        return new InputFormatException(name, lineNo, starts[column] + 1, "column '" + header.get(column) + "' " + what);
    }

    /**
     * Fast decimal parse of line[s..e): sign, digits, optional fraction and exponent with at most 18 significant
     * digits and a power of ten within 10^22, where one IEEE multiplication or division by an exact power of ten is
     * correctly rounded (Clinger's fast path); NaN for anything else, which the caller then hands to the JDK.
     */
    private double parse(int s, int e) {
        int i = s;
        boolean neg = false;
        if (line[i] == '-' || line[i] == '+') {
            neg = line[i] == '-';
            i++;
        }
        long mant = 0;
        int digits = 0, scale = 0;
        boolean any = false;
        while (i < e && line[i] >= '0' && line[i] <= '9') {
            if (digits < 18) {
                mant = mant * 10 + (line[i] - '0');
                if (mant != 0) digits++;
            } else {
                return Double.NaN;
            }
            any = true;
            i++;
        }
        if (i < e && line[i] == '.') {
            i++;
            while (i < e && line[i] >= '0' && line[i] <= '9') {
                if (digits < 18) {
                    mant = mant * 10 + (line[i] - '0');
                    if (mant != 0) digits++;
                    scale--;
                } else {
                    return Double.NaN;
                }
                any = true;
                i++;
            }
        }
        if (!any) return Double.NaN;
        if (i < e && (line[i] == 'e' || line[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < e && (line[i] == '-' || line[i] == '+')) {
                eneg = line[i] == '-';
                i++;
            }
            int exp = 0, ed = 0;
            while (i < e && line[i] >= '0' && line[i] <= '9' && ed < 4) {
                exp = exp * 10 + (line[i] - '0');
                ed++;
                i++;
            }
            if (ed == 0) return Double.NaN;
            scale += eneg ? -exp : exp;
        }
        if (i != e || mant >= (1L << 53)) return Double.NaN;
        double v = mant;
        if (scale == 0) {
            // exact
        } else if (scale > 0 && scale <= 22) {
            v *= POW10[scale];
        } else if (scale < 0 && scale >= -22) {
            v /= POW10[-scale];
        } else {
            return Double.NaN;
        }
        return neg ? -v : v;
    }

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private boolean isBlank() {
        for (int i = 0; i < lineLen; i++) if (line[i] != ' ' && line[i] != '\t') return false;
        return true;
    }

    private char detect() {
        int comma = 0, semi = 0, tab = 0;
        boolean quoted = false;
        for (int i = 0; i < lineLen; i++) {
            char c = line[i];
            if (c == '"') quoted = !quoted;
            else if (!quoted && c == ',') comma++;
            else if (!quoted && c == ';') semi++;
            else if (!quoted && c == '\t') tab++;
        }
        if (semi > comma && semi >= tab) return ';';
        if (tab > comma && tab > semi) return '\t';
        return ',';
    }

    /** Splits the current line into fields (quote-aware). */
    private void split() {
        fields = 0;
        int i = 0;
        while (true) {
            ensureFields(fields + 1);
            boolean esc = false;
            int start, end;
            if (i < lineLen && line[i] == '"') {
                int q = i + 1;
                start = q;
                while (true) {
                    if (q >= lineLen) throw new InputFormatException(name, lineNo, i + 1, "quoted field is not closed");
                    if (line[q] == '"') {
                        if (q + 1 < lineLen && line[q + 1] == '"') {
                            esc = true;
                            q += 2;
                            continue;
                        }
                        break;
                    }
                    q++;
                }
                end = q;
                i = q + 1;
                if (i < lineLen && line[i] != delimiter) {
                    throw new InputFormatException(name, lineNo, i + 1, "text after the closing quote of a field");
                }
            } else {
                start = i;
                while (i < lineLen && line[i] != delimiter) i++;
                end = i;
            }
            starts[fields] = start;
            ends[fields] = end;
            escaped[fields] = esc;
            fields++;
            if (i >= lineLen) break;
            i++; // the delimiter
        }
    }

    private void ensureFields(int n) {
        if (n > starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            ends = Arrays.copyOf(ends, n * 2);
            escaped = Arrays.copyOf(escaped, n * 2);
        }
    }

    /** Reads the next line into {@code line} (without its terminator); false at the end of the stream. */
    private boolean readLine() throws IOException {
        lineLen = 0;
        boolean gotAny = false;
        while (true) {
            if (bufPos >= bufLen) {
                if (eof) return gotAny;
                bufLen = in.read(buf, 0, buf.length);
                bufPos = 0;
                if (bufLen <= 0) {
                    bufLen = 0;
                    eof = true;
                    if (gotAny) lineNo++;
                    return gotAny;
                }
            }
            gotAny = true;
            int start = bufPos;
            while (bufPos < bufLen && buf[bufPos] != '\n') bufPos++;
            int n = bufPos - start;
            if (lineLen + n > MAX_LINE) {
                throw new InputFormatException(name, lineNo + 1, 0, "line longer than " + MAX_LINE + " characters (is this a CSV?)");
            }
            if (lineLen + n > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + n));
            System.arraycopy(buf, start, line, lineLen, n);
            lineLen += n;
            if (bufPos < bufLen) {
                bufPos++; // '\n'
                if (lineLen > 0 && line[lineLen - 1] == '\r') lineLen--;
                lineNo++;
                return true;
            }
        }
    }

    @Override public void close() throws IOException { in.close(); }
}
