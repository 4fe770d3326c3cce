package dev.minnow.trainer.synthetic;

import dev.minnow.trainer.Rng;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Generates a machine's sensor stream from a seed: three channels sampled every {@code period} seconds —
 * {@code vibration} (two sines whose amplitude follows the load, plus noise), {@code temperature} (following the
 * load slowly, with a slow random drift) and {@code current} (proportional to the load) — and injects labelled
 * anomalies of the four {@link AnomalyKind}s after a clean prefix meant for training.
 *
 * <p>The normal signal and the anomalies come from separate random streams, so a stream generated without anomalies
 * from the same seed equals this one on every unlabelled row.
 *
 * @param rows          rows to generate
 * @param periodSeconds seconds between rows
 * @param cleanFraction leading fraction of rows kept free of anomalies (for training)
 * @param eventsPerKind anomalies of each kind to inject (0: a clean stream)
 */
public record SensorStreamGenerator(int rows, double periodSeconds, double cleanFraction, int eventsPerKind) {
    /** The channel names, in column order. */
    public static final List<String> CHANNELS = List.of("vibration", "temperature", "current");
    /** Column of the vibration channel. */
    public static final int VIBRATION = 0;
    /** Column of the temperature channel. */
    public static final int TEMPERATURE = 1;
    /** Column of the current channel. */
    public static final int CURRENT = 2;
    /** The vibration's main frequency (Hz); a frequency-shift anomaly multiplies it by {@link #SHIFT_FACTOR}. */
    public static final double MAIN_HZ = 0.5;
    /** The factor by which a frequency-shift anomaly moves the main vibration frequency. */
    public static final double SHIFT_FACTOR = 1.6;
    private static final double SECOND_HZ = 1.35;
    private static final double LOAD_PERIOD_S = 240;

    public SensorStreamGenerator {
        if (!(periodSeconds > 0)) throw new IllegalArgumentException("period " + periodSeconds + " s must be > 0");
        if (!(cleanFraction >= 0 && cleanFraction < 1)) throw new IllegalArgumentException("clean fraction " + cleanFraction + " must be in [0, 1)");
        if (eventsPerKind < 0) throw new IllegalArgumentException("events per kind " + eventsPerKind + " must be >= 0");
        int room = rows - (int) (rows * cleanFraction);
        int needed = eventsPerKind * AnomalyKind.values().length * 400;
        if (rows < 100 || room < needed) {
            throw new IllegalArgumentException(rows + " rows leave " + room + " after the clean part, too few for " + eventsPerKind
                    + " anomalies of each kind (" + needed + " needed)");
        }
    }

    /** 6,000 rows at 10 Hz (10 minutes), the first 40% clean, two anomalies of each kind. */
    public static SensorStreamGenerator defaults() { return new SensorStreamGenerator(6000, 0.1, 0.4, 2); }

    /** This generator without anomalies. */
    public SensorStreamGenerator clean() { return new SensorStreamGenerator(rows, periodSeconds, cleanFraction, 0); }

    /** The stream for {@code seed}. */
    public SensorStream generate(long seed) {
        Rng normal = new Rng(Rng.derive(seed, 1));
        float[][] v = new float[rows][3];
        double[] load = new double[rows];
        double phaseLoad = normal.uniform(0, 2 * Math.PI);
        double phase1 = normal.uniform(0, 2 * Math.PI);
        double phase2 = normal.uniform(0, 2 * Math.PI);
        double warm = 0;
        double wander = 0;
        for (int i = 0; i < rows; i++) {
            double t = i * periodSeconds;
            load[i] = 0.6 + 0.25 * Math.sin(2 * Math.PI * t / LOAD_PERIOD_S + phaseLoad) + 0.1 * Math.sin(2 * Math.PI * t / (LOAD_PERIOD_S / 3.1));
            double amp = 0.7 + 0.5 * load[i];
            v[i][VIBRATION] = (float) (amp * (Math.sin(2 * Math.PI * MAIN_HZ * t + phase1) + 0.4 * Math.sin(2 * Math.PI * SECOND_HZ * t + phase2))
                    + 0.05 * normal.nextGaussian());
            warm += (load[i] - warm) * periodSeconds / 60.0; // first-order lag, one minute
            wander = 0.999 * wander + 0.01 * normal.nextGaussian();
            v[i][TEMPERATURE] = (float) (40 + 8 * warm + wander + 0.05 * normal.nextGaussian());
            v[i][CURRENT] = (float) (1.5 + 2.0 * load[i] + 0.03 * normal.nextGaussian());
        }
        int[] labels = new int[rows];
        List<AnomalyEvent> events = placeEvents(new Rng(Rng.derive(seed, 2)));
        Rng effects = new Rng(Rng.derive(seed, 3));
        for (AnomalyEvent e : events) {
            inject(e, v, load, phase1, phase2, effects);
            for (int i = e.start(); i < e.end(); i++) labels[i] = 1;
        }
        return new SensorStream(CHANNELS, periodSeconds, v, labels, events);
    }

    /** Non-overlapping events, one per slot of the rows after the clean part, kinds in a seeded order. */
    private List<AnomalyEvent> placeEvents(Rng rng) {
        List<AnomalyKind> kinds = new ArrayList<>();
        for (int k = 0; k < eventsPerKind; k++) for (AnomalyKind kind : AnomalyKind.values()) kinds.add(kind);
        int[] order = new int[kinds.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        rng.shuffle(order);
        int first = (int) (rows * cleanFraction);
        List<AnomalyEvent> events = new ArrayList<>();
        if (kinds.isEmpty()) return events;
        int slot = (rows - first) / kinds.size();
        for (int s = 0; s < order.length; s++) {
            AnomalyKind kind = kinds.get(order[s]);
            int length;
            int channel;
            switch (kind) {
                case SPIKE -> { length = 1 + rng.nextInt(3); channel = rng.nextInt(3); }
                case DRIFT -> { length = 150 + rng.nextInt(150); channel = rng.nextInt(2) == 0 ? TEMPERATURE : CURRENT; }
                case FREQUENCY_SHIFT -> { length = 100 + rng.nextInt(150); channel = VIBRATION; }
                case STUCK -> { length = 80 + rng.nextInt(120); channel = rng.nextInt(3); }
                default -> throw new IllegalStateException(kind.toString());
            }
            length = Math.min(length, slot - 40);
            int start = first + s * slot + 20 + rng.nextInt(slot - 40 - length + 1);
            events.add(new AnomalyEvent(kind, channel, start, start + length));
        }
        events.sort(Comparator.comparingInt(AnomalyEvent::start));
        return events;
    }

    private void inject(AnomalyEvent e, float[][] v, double[] load, double phase1, double phase2, Rng rng) {
        int c = e.channel();
        switch (e.kind()) {
            case SPIKE -> {
                double size = switch (c) {
                    case VIBRATION -> 4.0;
                    case TEMPERATURE -> 5.0;
                    default -> 2.5;
                } * (1 + rng.nextDouble()) * (rng.nextInt(2) == 0 ? -1 : 1);
                for (int i = e.start(); i < e.end(); i++) v[i][c] += (float) size;
            }
            case DRIFT -> {
                double total = (c == TEMPERATURE ? 4.0 : 1.0) * (1 + rng.nextDouble()) * (rng.nextInt(2) == 0 ? -1 : 1);
                for (int i = e.start(); i < e.end(); i++) v[i][c] += (float) (total * (i - e.start() + 1) / e.length());
            }
            case FREQUENCY_SHIFT -> {
                for (int i = e.start(); i < e.end(); i++) {
                    double t = i * periodSeconds;
                    double amp = 0.7 + 0.5 * load[i];
                    double noise = v[i][c] - amp * (Math.sin(2 * Math.PI * MAIN_HZ * t + phase1) + 0.4 * Math.sin(2 * Math.PI * SECOND_HZ * t + phase2));
                    v[i][c] = (float) (amp * (Math.sin(2 * Math.PI * MAIN_HZ * SHIFT_FACTOR * t + phase1)
                            + 0.4 * Math.sin(2 * Math.PI * SECOND_HZ * t + phase2)) + noise);
                }
            }
            case STUCK -> {
                float held = v[e.start() - 1][c];
                for (int i = e.start(); i < e.end(); i++) v[i][c] = held;
            }
            default -> throw new IllegalStateException(e.kind().toString());
        }
    }
}
