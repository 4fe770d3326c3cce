package dev.minnow.cli;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.model.TensorInfo;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads the user's file for one model input into the tensor's bytes (little-endian, row-major), chosen by extension:
 * <ul>
 *   <li>{@code .npy}: numpy's format; dtype and shape must equal the tensor's.</li>
 *   <li>{@code .csv}: numbers separated by commas, read row-major across lines (any line layout); blank lines and
 *       {@code #} lines skipped, a first line of only non-numeric fields taken as a header. Float inputs take
 *       values; quantized integer inputs take real values, quantized with the tensor's scale and zero point as
 *       TFLite's QUANTIZE does ({@code round(x / scale) + zero_point}, half away from zero, clamped with a
 *       warning), or the stored integers with {@code rawValues}; other integer inputs take integers.</li>
 *   <li>anything else: raw little-endian bytes, exactly the tensor's byte size.</li>
 * </ul>
 * Every error names the file, the line and column for CSV, and the expected and actual counts.
 */
final class TensorInput {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SPECIAL = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private TensorInput() {}

    /**
     * The bytes for tensor {@code t} from {@code file}; {@code label} names the tensor in messages ("input 0");
     * {@code warn} receives warnings (values clamped while quantizing).
     */
    static byte[] read(Path file, TensorInfo t, String label, boolean rawValues, Consumer<String> warn) {
        ModelFiles.requireFile(file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String what = describe(t, label);
        if (t.byteSize() > Integer.MAX_VALUE - 64) throw UserError.usage(what + " is too large to read from a file");
        if (name.endsWith(".npy")) return npy(file, t, what);
        if (name.endsWith(".csv")) return csv(file, t, what, rawValues, warn);
        byte[] b = ModelFiles.read(file, t.byteSize());
        if (b.length != t.byteSize()) {
            throw UserError.usage(file + ": " + b.length + " bytes, but " + what + " takes " + t.byteSize() + " bytes ("
                    + t.elementCount() + " x " + t.type().byteSize() + "); raw input files hold exactly the tensor's little-endian data");
        }
        return b;
    }

    /** "input 0 'name' int8 [1, 10]". */
    static String describe(TensorInfo t, String label) {
        return label + " '" + ModelDescription.printable(t.name()) + "' " + t.type().lowerName() + " " + Arrays.toString(t.shape());
    }

    private static byte[] npy(Path file, TensorInfo t, String what) {
        Npy.Array a = Npy.parse(ModelFiles.read(file, t.byteSize() + (1 << 20)), file.toString());
        String want = Elements.npyDescr(t.type());
        if (a.type() != t.type()) {
            throw UserError.usage(file + ": dtype '" + a.descr() + "'" + (a.type() == null ? "" : " (" + a.type().lowerName() + ")")
                    + " but " + what + " is " + t.type().lowerName() + (want == null ? " (no numpy dtype: give a raw file)"
                    : " ('" + want + "'); convert with x.astype('" + want + "')"));
        }
        int[] shape = t.shape();
        long[] expected = Arrays.stream(shape).asLongStream().toArray();
        if (!Arrays.equals(a.shape(), expected)) {
            throw UserError.usage(file + ": shape " + a.shapeText() + " but " + what + " has shape " + Npy.tuple(expected)
                    + "; reshape with x.reshape" + Npy.tuple(expected));
        }
        return a.data();
    }

    private enum Mode { FLOAT, QUANTIZE, INTEGER }

    private static byte[] csv(Path file, TensorInfo t, String what, boolean rawValues, Consumer<String> warn) {
        DataType type = t.type();
        if (!Elements.isNumeric(type)) {
            throw UserError.usage(file + ": CSV is read for float32, float64 and integer inputs; " + what
                    + " is " + type.lowerName() + ": give a raw or .npy file");
        }
        Quantization q = t.quantization();
        Mode mode = Elements.isFloat(type) ? Mode.FLOAT : q.isQuantized() && !rawValues ? Mode.QUANTIZE : Mode.INTEGER;
        if (mode == Mode.QUANTIZE && q.isPerChannel()) {
            throw UserError.usage(file + ": " + what + " is quantized per channel (" + q.channelCount()
                    + " scales); give its stored integers with --raw-values, or a raw or .npy file");
        }
        float scale = q.scale();
        long zeroPoint = q.zeroPoint(0);
        long min = mode == Mode.FLOAT ? 0 : Elements.min(type), max = mode == Mode.FLOAT ? 0 : Elements.max(type);
        int count = (int) t.elementCount();
        byte[] data = new byte[(int) t.byteSize()];
        int n = 0, clamped = 0, lineNo = 0, headerLine = 0;
        boolean first = true;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                String[] fields = s.split(",", -1);
                if (first && isHeader(fields)) {
                    first = false;
                    headerLine = lineNo;
                    continue;
                }
                first = false;
                for (int c = 0; c < fields.length; c++) {
                    String f = fields[c].strip();
                    String at = file + " line " + lineNo + ", column " + (c + 1);
                    if (f.isEmpty()) throw UserError.usage(at + ": empty value");
                    if (n == count) {
                        throw UserError.usage(at + ": more values than the " + count + " that " + what + " takes");
                    }
                    switch (mode) {
                        case FLOAT -> {
                            if (!DECIMAL.matcher(f).matches() && !SPECIAL.matcher(f).matches()) {
                                throw UserError.usage(at + ": '" + f + "' is not a number");
                            }
                            String v = special(f);
                            Elements.putFloat(data, n, type, type == DataType.FLOAT32 ? Float.parseFloat(v) : Double.parseDouble(v));
                        }
                        case QUANTIZE -> {
                            if (!DECIMAL.matcher(f).matches()) {
                                throw UserError.usage(at + ": '" + f + "' is not a finite number (" + what
                                        + " is quantized: values are real numbers, or its integers with --raw-values)");
                            }
                            float x = Float.parseFloat(f);
                            long v = roundHalfAwayFromZero(x / scale) + zeroPoint;
                            if (v < min || v > max) {
                                clamped++;
                                v = Math.max(min, Math.min(max, v));
                            }
                            Elements.putInteger(data, n, type, v);
                        }
                        case INTEGER -> Elements.putInteger(data, n, type, integer(f, type, at, what));
                    }
                    n++;
                }
            }
        } catch (CharacterCodingException e) {
            throw UserError.usage(file + " line " + (lineNo + 1) + ": not UTF-8 text (is it a raw or .npy file named .csv?)");
        } catch (IOException e) {
            throw UserError.usage(file + ": cannot read: " + e.getMessage());
        }
        if (n != count) {
            throw UserError.usage(file + ": " + n + " values, but " + what + " takes " + count
                    + (headerLine > 0 ? " (line " + headerLine + " was taken as a header: no field of it is a number)" : ""));
        }
        if (clamped > 0) {
            warn.accept(file + ": " + clamped + " of " + count + " values lie outside what " + what + " can represent (["
                    + (float) (scale * (double) (min - zeroPoint)) + ", " + (float) (scale * (double) (max - zeroPoint))
                    + "] at scale " + scale + ", zero point " + zeroPoint + ") and were clamped");
        }
        return data;
    }

    private static long integer(String f, DataType type, String at, String what) {
        if (type == DataType.BOOL) {
            if (f.equalsIgnoreCase("true")) return 1;
            if (f.equalsIgnoreCase("false")) return 0;
        }
        if (!INTEGER.matcher(f).matches()) {
            throw UserError.usage(at + ": '" + f + "' is not an integer (" + what + " takes integers"
                    + (type == DataType.BOOL ? ": 0, 1, true or false)" : ")"));
        }
        long v;
        try {
            v = Long.parseLong(f.startsWith("+") ? f.substring(1) : f);
        } catch (NumberFormatException e) {   // the pattern matched, so the value does not fit in a long
            throw UserError.usage(at + ": " + f + " is outside " + type.lowerName() + "'s range [" + Elements.min(type) + ", " + Elements.max(type) + "]");
        }
        if (v < Elements.min(type) || v > Elements.max(type)) {
            throw UserError.usage(at + ": " + f + " is outside " + type.lowerName() + "'s range [" + Elements.min(type) + ", " + Elements.max(type) + "]");
        }
        return v;
    }

    /** TFLite's TfLiteRound (std::round): half away from zero; exact for every float. */
    static long roundHalfAwayFromZero(float v) {
        double d = v;
        if (Double.isNaN(d)) return 0;
        double r = d >= 0 ? Math.floor(d + 0.5) : -Math.floor(-d + 0.5);
        return (long) r;   // saturates at Long.MIN_VALUE / MAX_VALUE, then clamped to the type
    }

    private static String special(String f) {
        String l = f.toLowerCase(Locale.ROOT);
        String sign = l.startsWith("-") ? "-" : "";
        String body = l.startsWith("-") || l.startsWith("+") ? l.substring(1) : l;
        return switch (body) {
            case "nan" -> "NaN";
            case "inf", "infinity" -> sign + "Infinity";
            default -> f;
        };
    }

    /** A line of column names: every field starts with a letter, underscore or quote and none is a value. */
    private static boolean isHeader(String[] fields) {
        for (String f : fields) {
            String s = f.strip();
            if (s.isEmpty() || SPECIAL.matcher(s).matches() || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) return false;
            char c = s.charAt(0);
            if (!Character.isLetter(c) && c != '_' && c != '"' && c != '\'') return false;
        }
        return true;
    }
}
