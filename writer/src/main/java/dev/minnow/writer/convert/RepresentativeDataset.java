package dev.minnow.writer.convert;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a representative dataset: samples of the model input, flattened row-major, {@code sampleSize} float32
 * values each.
 * <ul>
 *   <li>CSV ({@code .csv}): one sample per line, values separated by commas; blank lines and lines starting with
 *       {@code #} are skipped; a first line made only of non-numeric fields is a header and skipped.</li>
 *   <li>Raw (any other extension): little-endian float32 values, one or more whole samples per file.</li>
 * </ul>
 * Errors name the file, the line or byte count and the expected size; NaN and infinities are rejected.
 */
public final class RepresentativeDataset {
    private RepresentativeDataset() {}

    /** Largest dataset read, in values, so a wrong file cannot exhaust the heap. */
    static final long MAX_VALUES = 1L << 28;

    /** Reads each file by its extension and concatenates the samples. */
    public static float[][] read(List<Path> files, int sampleSize) throws IOException {
        if (files.isEmpty()) throw new IllegalArgumentException("no dataset files given");
        List<float[]> all = new ArrayList<>();
        for (Path f : files) {
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            all.addAll(List.of(n.endsWith(".csv") ? readCsv(f, sampleSize) : readRaw(f, sampleSize)));
        }
        if (all.isEmpty()) throw new IllegalArgumentException("the dataset files " + files + " hold no samples");
        return all.toArray(new float[0][]);
    }

    /** Reads a CSV file of samples. */
    public static float[][] readCsv(Path file, int sampleSize) throws IOException {
        requireSampleSize(sampleSize);
        List<float[]> samples = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] fields = t.split(",", -1);
                if (first && isHeader(fields)) { first = false; continue; }
                first = false;
                if (fields.length != sampleSize) {
                    throw new IllegalArgumentException(file + " line " + lineNo + ": " + fields.length + " values, the model input takes " + sampleSize);
                }
                float[] v = new float[sampleSize];
                for (int i = 0; i < sampleSize; i++) {
                    String f = fields[i].strip();
                    try {
                        v[i] = Float.parseFloat(f);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + " line " + lineNo + ", column " + (i + 1) + ": '" + f + "' is not a number");
                    }
                    if (!Float.isFinite(v[i])) throw new IllegalArgumentException(file + " line " + lineNo + ", column " + (i + 1) + ": " + f + " is not finite");
                }
                samples.add(v);
                if ((long) samples.size() * sampleSize > MAX_VALUES) throw new IllegalArgumentException(file + ": more than " + MAX_VALUES + " values");
            }
        }
        if (samples.isEmpty()) throw new IllegalArgumentException(file + " holds no samples");
        return samples.toArray(new float[0][]);
    }

    /** Reads a file of little-endian float32 samples. */
    public static float[][] readRaw(Path file, int sampleSize) throws IOException {
        requireSampleSize(sampleSize);
        long size = Files.size(file);
        long sampleBytes = 4L * sampleSize;
        if (size == 0 || size % sampleBytes != 0) {
            throw new IllegalArgumentException(file + ": " + size + " bytes is not a whole number of " + sampleSize
                    + "-value float32 samples (" + sampleBytes + " bytes each)");
        }
        if (size / 4 > MAX_VALUES) throw new IllegalArgumentException(file + ": " + size / 4 + " values exceed " + MAX_VALUES);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[][] samples = new float[(int) (size / sampleBytes)][sampleSize];
        for (int s = 0; s < samples.length; s++) {
            for (int i = 0; i < sampleSize; i++) {
                float v = b.getFloat();
                if (!Float.isFinite(v)) throw new IllegalArgumentException(file + ": sample " + s + " value " + i + " is " + v);
                samples[s][i] = v;
            }
        }
        return samples;
    }

    /** Writes samples as little-endian float32 (the raw format). */
    public static void writeRaw(Path file, float[][] samples) throws IOException {
        int n = 0;
        for (float[] s : samples) n += s.length;
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] s : samples) for (float v : s) b.putFloat(v);
        Files.write(file, b.array());
    }

    private static boolean isHeader(String[] fields) {
        for (String f : fields) {
            try {
                Float.parseFloat(f.strip());
                return false;
            } catch (NumberFormatException e) {
                // not a number: keep looking
            }
        }
        return true;
    }

    private static void requireSampleSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("sample size " + n + " must be > 0");
    }
}
