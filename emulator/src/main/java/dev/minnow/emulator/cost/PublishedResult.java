package dev.minnow.emulator.cost;

import dev.minnow.emulator.InputFormatException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One row of MLPerf Tiny's published results (see shared/data/mlperf-tiny/README.md): a system's median latency on
 * one benchmark, and its energy when an energy run was submitted.
 *
 * @param line         1-based line in the file
 * @param round        results round, e.g. "v1.0"
 * @param submitter    submitter directory
 * @param system       system id
 * @param board        board name (normalised across rounds)
 * @param core         the core column as published
 * @param clockMhz     core clock
 * @param softwareStack the software stack column
 * @param benchmark    ad, ic, kws or vww
 * @param latencyMs    median latency per inference
 * @param energyUj     median energy per inference, null without an energy run
 */
public record PublishedResult(int line, String round, String submitter, String system, String board, String core,
                              double clockMhz, String softwareStack, String benchmark, double latencyMs, Double energyUj) {

    private static final List<String> COLUMNS = List.of("round", "submitter", "system", "board", "mcu", "core",
            "clock_mhz", "sram_kb", "flash_kb", "software_stack", "benchmark", "latency_ms", "energy_uj", "accuracy",
            "source_path");

    /** Cycles of one inference: latency times clock. */
    public double cycles() { return latencyMs * 1e-3 * clockMhz * 1e6; }

    /** Average power during inference in mW (energy / latency), null without energy. */
    public Double powerMw() { return energyUj == null ? null : energyUj / latencyMs; }

    /** "round submitter system": one measured configuration. */
    public String systemKey() { return round + " " + submitter + " " + system; }

    /**
     * Reads results.csv. Rows repeating an earlier row's system, benchmark, latency and energy exactly (the Syntiant
     * logs re-submitted byte for byte in v1.0, v1.1 and v1.2) are dropped, so they do not count as independent
     * measurements.
     */
    public static List<PublishedResult> read(Path csv) throws IOException {
        List<PublishedResult> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null || !Arrays.asList(header.split(",", -1)).equals(COLUMNS)) {
                throw new InputFormatException(csv.toString(), 1, 1, "header is not " + String.join(",", COLUMNS));
            }
            String text;
            int line = 1;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) continue;
                String[] f = text.split(",", -1);
                if (f.length != COLUMNS.size()) {
                    throw new InputFormatException(csv.toString(), line, 1, f.length + " fields, expected " + COLUMNS.size());
                }
                double clock = number(csv, line, f, 6), latency = number(csv, line, f, 11);
                Double energy = f[12].isEmpty() ? null : number(csv, line, f, 12);
                if (!seen.add(f[2] + "|" + f[10] + "|" + f[11] + "|" + f[12])) continue;
                out.add(new PublishedResult(line, f[0], f[1], f[2], f[3], f[5], clock, f[9], f[10], latency, energy));
            }
        }
        return out;
    }

    private static double number(Path csv, int line, String[] f, int col) {
        try {
            double v = Double.parseDouble(f[col]);
            if (!(v > 0) || !Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            int column = 1;
            for (int i = 0; i < col; i++) column += f[i].length() + 1;
            throw new InputFormatException(csv.toString(), line, column, COLUMNS.get(col) + " '" + f[col] + "' is not a positive number");
        }
    }
}
