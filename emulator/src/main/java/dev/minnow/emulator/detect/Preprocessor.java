package dev.minnow.emulator.detect;

import java.util.List;

/**
 * The config's preprocessing as the firmware does it: pick the channels and normalise each in float arithmetic,
 * {@code (x - offset) / scale} with offset = min or mean and scale = max - min or std, the constants rounded to
 * float once (the exported sketch holds the same float constants).
 */
public final class Preprocessor {
    private final int[] columns;
    private final float[] offset;
    private final float[] scale;

    /** Resolves the config's channels against a CSV header. */
    public Preprocessor(PipelineConfig cfg, SensorCsvReader csv) {
        this(cfg, resolve(cfg.channels(), csv));
    }

    /** A preprocessor reading the given column indices. */
    public Preprocessor(PipelineConfig cfg, int[] columns) {
        this.columns = columns.clone();
        int n = columns.length;
        this.offset = new float[n];
        this.scale = new float[n];
        PipelineConfig.Normalization z = cfg.normalization();
        for (int c = 0; c < n; c++) {
            switch (z.method()) {
                case NONE -> {
                    offset[c] = 0f;
                    scale[c] = 1f;
                }
                case MINMAX -> {
                    offset[c] = (float) z.min()[c];
                    scale[c] = (float) (z.max()[c] - z.min()[c]);
                }
                case ZSCORE -> {
                    offset[c] = (float) z.mean()[c];
                    scale[c] = (float) z.std()[c];
                }
            }
        }
    }

    private static int[] resolve(List<String> channels, SensorCsvReader csv) {
        int[] cols = new int[channels.size()];
        for (int i = 0; i < cols.length; i++) cols[i] = csv.column(channels.get(i));
        return cols;
    }

    /** Number of channels. */
    public int channels() { return columns.length; }

    /** The per-channel offsets (float constants). */
    public float[] offsets() { return offset.clone(); }

    /** The per-channel divisors (float constants). */
    public float[] scales() { return scale.clone(); }

    /** Reads the current CSV row's channels and writes their normalised values into {@code out}. */
    public void apply(SensorCsvReader csv, float[] out) {
        for (int c = 0; c < columns.length; c++) out[c] = normalise(c, (float) csv.number(columns[c]));
    }

    /** Normalises one raw value of channel {@code c} (float arithmetic, as in the sketch). */
    public float normalise(int c, float raw) {
        return (raw - offset[c]) / scale[c];
    }
}
