package dev.minnow.cli;

import dev.minnow.model.DataType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy's {@code .npy} format (versions 1.0 to 3.0): the magic {@code \x93NUMPY}, a version, a header length and a
 * Python dict literal {@code {'descr': '<f4', 'fortran_order': False, 'shape': (1, 10), }}, then the data.
 * Only plain little-endian (or byte-order-free) dtypes in C order are read; anything else is refused by name.
 */
final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern STRUCTURED = Pattern.compile("'descr'\\s*:\\s*\\[");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /**
     * An array read from a .npy file.
     *
     * @param descr the dtype string as written ("&lt;f4")
     * @param type  the tensor type it maps to, null when none does
     * @param shape the array's shape
     * @param data  the data bytes, little-endian
     */
    record Array(String descr, DataType type, long[] shape, byte[] data) {
        /** The shape as numpy prints it: "(1, 10)", "(10,)", "()". */
        String shapeText() { return tuple(shape); }
    }

    /** Parses a whole .npy file; {@code file} names it in messages. */
    static Array parse(byte[] bytes, String file) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw UserError.usage(file + ": not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int start;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw UserError.usage(file + ": truncated .npy header");
            headerLength = b.getInt(8) & 0xFFFF_FFFFL;
            start = 12;
        } else {
            throw UserError.usage(file + ": .npy format version " + major + "." + (bytes[7] & 0xFF) + " is not supported (1.0 to 3.0 are)");
        }
        if (start + headerLength > bytes.length) {
            throw UserError.usage(file + ": the .npy header says " + headerLength + " bytes but the file has " + (bytes.length - start) + " after the preamble");
        }
        String header = new String(bytes, start, (int) headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (STRUCTURED.matcher(header).find()) {
            throw UserError.usage(file + ": structured (record) dtypes are not supported: " + header.strip());
        }
        String descr = group(DESCR, header, file, "descr");
        String fortran = group(FORTRAN, header, file, "fortran_order");
        String shapeText = group(SHAPE, header, file, "shape");
        if (fortran.equals("True")) {
            throw UserError.usage(file + ": fortran_order is True (column-major data); save a C-ordered array, e.g. np.save(f, np.ascontiguousarray(x))");
        }
        if (descr.length() < 2 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw UserError.usage(file + ": dtype '" + descr + "' is not a plain numeric dtype");
        }
        DataType type = Elements.fromNpyDescr(descr);
        if (descr.charAt(0) == '>' && type != null && type.byteSize() > 1) {
            throw UserError.usage(file + ": dtype '" + descr + "' is big-endian; save little-endian data, e.g. x.astype('<" + descr.substring(1) + "')");
        }
        long[] shape = parseShape(shapeText, file);
        long elements = 1;
        try {
            for (long d : shape) elements = Math.multiplyExact(elements, d);
        } catch (ArithmeticException e) {
            throw UserError.usage(file + ": shape " + tuple(shape) + " has more elements than a long can count");
        }
        long dataBytes = bytes.length - start - headerLength;
        if (type != null) {
            long expected = elements > Long.MAX_VALUE / 16 ? Long.MAX_VALUE : elements * type.byteSize();
            if (dataBytes != expected) {
                throw UserError.usage(file + ": the header says shape " + tuple(shape) + " of " + descr + " (" + expected
                        + " bytes) but the file holds " + dataBytes + " bytes of data");
            }
        }
        byte[] data = Arrays.copyOfRange(bytes, (int) (start + headerLength), bytes.length);
        return new Array(descr, type, shape, data);
    }

    private static String group(Pattern p, String header, String file, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw UserError.usage(file + ": malformed .npy header, no '" + key + "' entry: " + header.strip());
        return m.group(1);
    }

    private static long[] parseShape(String text, String file) {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            try {
                long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (d < 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw UserError.usage(file + ": malformed .npy shape (" + text + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** numpy's spelling of a shape tuple. */
    static String tuple(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(')').toString();
    }

    /** A version 1.0 .npy file of little-endian data with the type's dtype, header padded to 64 bytes as numpy does. */
    static byte[] write(DataType type, int[] shape, byte[] data) {
        String descr = Elements.npyDescr(type);
        if (descr == null) throw new IllegalArgumentException(type.lowerName() + " has no numpy dtype");
        long[] s = Arrays.stream(shape).asLongStream().toArray();
        StringBuilder header = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple(s) + ", }");
        while ((10 + header.length() + 1) % 64 != 0) header.append(' ');
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + data.length);
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xFF);
        out.write(header.length() >>> 8);
        out.writeBytes(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }
}
