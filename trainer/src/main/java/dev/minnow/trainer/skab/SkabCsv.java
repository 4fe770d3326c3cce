package dev.minnow.trainer.skab;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads SKAB's {@code ;}-separated files: {@code datetime;<features...>;anomaly;changepoint}, one row per second.
 * A malformed line fails with the file, the line number and what is wrong.
 */
public final class SkabCsv {
    /** The folders holding the 34 experiment files (the anomaly-free recording is not part of the protocol). */
    public static final List<String> FOLDERS = List.of("valve1", "valve2", "other");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private SkabCsv() {}

    /** Reads one file; {@code name} is how it is reported. */
    public static SkabFile read(Path file, String name) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, name);
        }
    }

    /** Reads one file's text. */
    public static SkabFile read(BufferedReader in, String name) throws IOException {
        String header = in.readLine();
        if (header == null) throw new IllegalArgumentException(name + ": empty file");
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        String[] h = header.split(";", -1);
        if (h.length < 4 || !h[0].equals("datetime") || !h[h.length - 2].equals("anomaly") || !h[h.length - 1].equals("changepoint")) {
            throw new IllegalArgumentException(name + ": header '" + header + "' is not datetime;<features>;anomaly;changepoint");
        }
        List<String> features = Arrays.asList(h).subList(1, h.length - 2);
        int nf = features.size();
        List<LocalDateTime> times = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) continue;
            String[] f = line.split(";", -1);
            if (f.length != h.length) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": " + f.length + " fields, the header has " + h.length);
            }
            try {
                times.add(LocalDateTime.parse(f[0], TIME));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(name + " line " + lineNo + ": datetime '" + f[0] + "' is not yyyy-MM-dd HH:mm:ss", e);
            }
            float[] v = new float[nf];
            for (int i = 0; i < nf; i++) v[i] = number(f[i + 1], name, lineNo, features.get(i));
            rows.add(v);
            labels.add(new int[] {label(f[h.length - 2], name, lineNo, "anomaly"), label(f[h.length - 1], name, lineNo, "changepoint")});
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(name + ": no rows after the header");
        int[] anomaly = new int[rows.size()];
        int[] changepoint = new int[rows.size()];
        for (int i = 0; i < anomaly.length; i++) {
            anomaly[i] = labels.get(i)[0];
            changepoint[i] = labels.get(i)[1];
        }
        return new SkabFile(name, features, times.toArray(new LocalDateTime[0]), rows.toArray(new float[0][]), anomaly, changepoint);
    }

    /** Reads the 34 experiment files below {@code dir} ({@link #FOLDERS}), in folder order and numeric file order. */
    public static List<SkabFile> readAll(Path dir) throws IOException {
        List<SkabFile> files = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path d = dir.resolve(folder);
            if (!Files.isDirectory(d)) throw new IllegalArgumentException("SKAB folder " + d + " is missing (expected " + FOLDERS + " under " + dir + ")");
            List<Path> csvs;
            try (Stream<Path> s = Files.list(d)) {
                csvs = s.filter(p -> p.getFileName().toString().matches("\\d+\\.csv")).sorted(Comparator.comparingInt(SkabCsv::number)).toList();
            }
            for (Path p : csvs) files.add(read(p, folder + "/" + p.getFileName()));
        }
        if (files.isEmpty()) throw new IllegalArgumentException("no SKAB files under " + dir);
        return files;
    }

    private static int number(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(0, n.length() - 4));
    }

    private static float number(String s, String name, int lineNo, String column) {
        try {
            float v = Float.parseFloat(s);
            if (!Float.isFinite(v)) throw new NumberFormatException("not finite");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " line " + lineNo + ": " + column + " '" + s + "' is not a finite number", e);
        }
    }

    private static int label(String s, String name, int lineNo, String column) {
        float v = number(s, name, lineNo, column);
        if (v != 0f && v != 1f) throw new IllegalArgumentException(name + " line " + lineNo + ": " + column + " " + s + " is not 0 or 1");
        return (int) v;
    }
}
