package dev.minnow.emulator.detect;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;

/**
 * The firmware's detection step, shared by every stream it serves: buffer a normalised row into a device's
 * {@link DeviceState}; when a window is complete (the first after {@code length} rows, then every {@code hop}
 * rows), feed it to the model and score the output.
 *
 * <p>Window layout: rows oldest first, each row's channels in config order, flattened into the model input (which
 * must hold exactly length x channels values, whatever its shape). A forecaster's window holds one more row: the
 * model sees the first {@code length} rows and its output is compared with the last. Scores (float arithmetic, as
 * in the sketch): MSE or MAE between model output and the window as fed (reconstruction, over the whole window or
 * its last row), or the forecast row; or one element of one output (output).
 *
 * <p>The model is one interpreter: use a detector from one thread at a time.
 */
public final class Detector implements AutoCloseable {
    private final PipelineConfig cfg;
    private final ModelRunner runner;
    private final int channels;
    private final int length;
    private final int hop;
    private final int capacity;
    private final float[] window;
    private final float[] target;

    /** Checks the model against the config and allocates it in an arena of {@code arenaBytes} (default budget). */
    public Detector(Model model, PipelineConfig cfg, int arenaBytes) {
        this(model, cfg, arenaBytes, ModelBudget.DEFAULT);
    }

    /** Checks the model against the config and allocates it in an arena of {@code arenaBytes} under {@code budget}. */
    public Detector(Model model, PipelineConfig cfg, int arenaBytes, ModelBudget budget) {
        this.cfg = cfg;
        this.channels = cfg.channels().size();
        this.length = cfg.window().length();
        this.hop = cfg.window().hop();
        PipelineConfig.Score score = cfg.score();
        this.capacity = score.kind() == PipelineConfig.ScoreKind.FORECAST ? length + 1 : length;
        ModelRunner r = new ModelRunner(model, arenaBytes, budget);
        try {
            long need = (long) length * channels;
            if (r.inputElements() != need) {
                throw new EmulatorException("model input " + java.util.Arrays.toString(r.inputShape()) + " has " + r.inputElements()
                        + " values; a window of " + length + " rows x " + channels + " channels has " + need);
            }
            int out = score.kind() == PipelineConfig.ScoreKind.OUTPUT ? score.output() : 0;
            if (out >= r.outputCount()) {
                throw new EmulatorException("score.output " + out + " but the model has " + r.outputCount() + " outputs");
            }
            int outN = r.outputElements(out);
            switch (score.kind()) {
                case RECONSTRUCTION -> {
                    if (outN != need) {
                        throw new EmulatorException("a reconstruction score needs output 0 to hold the window's " + need
                                + " values; it has " + outN);
                    }
                }
                case FORECAST -> {
                    if (outN != channels) {
                        throw new EmulatorException("a forecast score needs output 0 to hold one row of " + channels
                                + " channels; it has " + outN + " values");
                    }
                }
                case OUTPUT -> {
                    if (score.element() >= outN) {
                        throw new EmulatorException("score.element " + score.element() + " but output " + out + " has " + outN + " values");
                    }
                }
            }
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        this.runner = r;
        this.window = new float[length * channels];
        this.target = new float[channels];
    }

    /** The pipeline this detector runs. */
    public PipelineConfig config() { return cfg; }

    /** The model runner (input quantization parameters for reports and the sketch). */
    public ModelRunner runner() { return runner; }

    /** A fresh device state. */
    public DeviceState newState() { return new DeviceState(channels, capacity); }

    /** Rows a window spans (length, plus the forecast target row for a forecaster). */
    public int windowRows() { return capacity; }

    /**
     * Appends one normalised row ({@code channels} values) to the device's buffer; true when a window is complete
     * and {@link #score(DeviceState)} should run now.
     */
    public boolean add(DeviceState s, float[] row) {
        if (s.channels != channels || s.capacity != capacity) {
            throw new EmulatorException("device state is for " + s.channels + " channels x " + s.capacity + " rows, this detector for "
                    + channels + " x " + capacity);
        }
        System.arraycopy(row, 0, s.ring, s.head * channels, channels);
        s.head = (s.head + 1) % capacity;
        if (s.filled < capacity) s.filled++;
        s.rows++;
        if (--s.untilWindow > 0) return false;
        s.untilWindow = hop;
        return true;
    }

    /** Runs the model on the device's current window and returns its score (counting the window). */
    public double score(DeviceState s) {
        if (s.filled < capacity) throw new EmulatorException("window incomplete: " + s.filled + " of " + capacity + " rows");
        // oldest row is at head (the ring is full)
        for (int r = 0; r < length; r++) {
            System.arraycopy(s.ring, ((s.head + r) % capacity) * channels, window, r * channels, channels);
        }
        if (capacity > length) System.arraycopy(s.ring, ((s.head + length) % capacity) * channels, target, 0, channels);
        runner.run(window);
        PipelineConfig.Score sc = cfg.score();
        float result = switch (sc.kind()) {
            case RECONSTRUCTION -> sc.over() == PipelineConfig.Span.LAST
                    ? error(runner.output(0), window, (length - 1) * channels, channels, sc.error())
                    : error(runner.output(0), window, 0, window.length, sc.error());
            case FORECAST -> error(runner.output(0), target, 0, channels, sc.error());
            case OUTPUT -> runner.output(sc.output())[sc.element()];
        };
        s.windows++;
        return result;
    }

    /**
     * Whether {@code score} is above the config's threshold (false without a threshold), counting the anomaly in the
     * device's state.
     */
    public boolean judge(DeviceState s, double score) {
        Double t = cfg.threshold();
        if (t == null || !(score > t)) return false;
        s.anomalies++;
        return true;
    }

    /**
     * Mean squared or absolute error between {@code predicted[from..from+n)} and {@code actual[from..from+n)},
     * accumulated in float in index order, divided by n in float (as the sketch computes it).
     */
    static float error(float[] predicted, float[] actual, int from, int n, PipelineConfig.ErrorMeasure measure) {
        float sum = 0f;
        for (int i = from; i < from + n; i++) {
            float d = predicted[i] - actual[i];
            sum += measure == PipelineConfig.ErrorMeasure.MSE ? d * d : Math.abs(d);
        }
        return sum / n;
    }

    @Override public void close() { runner.close(); }
}
