package dev.minnow.trainer.synthetic;

/** The kinds of anomaly the synthetic sensor stream carries. */
public enum AnomalyKind {
    /** A few rows where one channel jumps far off its normal value. */
    SPIKE,
    /** A channel ramps away from its normal value (a sensor or process drifting). */
    DRIFT,
    /** The vibration's main frequency moves (e.g. a bearing or a speed fault). */
    FREQUENCY_SHIFT,
    /** One channel repeats its last value (a frozen sensor). */
    STUCK;

    /** The lower-case name used in CSV files and reports. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
