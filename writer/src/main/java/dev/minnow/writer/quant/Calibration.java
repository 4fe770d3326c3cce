package dev.minnow.writer.quant;

import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.ModelWriter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Activation ranges of a float model over a representative dataset, observed by running it in minnow's engine.
 *
 * <p>Planned tensors share arena memory, so an intermediate tensor cannot be read after invoke in the model as it
 * is. The calibration therefore runs a copy of the model whose outputs are every float activation (the original
 * outputs first): outputs are never reused by the memory planner, so after each invoke every activation still holds
 * what its operator wrote, and the computation itself is unchanged. LSTM cell states, which live inside the kernel,
 * come from a double-precision replay ({@link LstmTrace}) that must reproduce the engine's LSTM outputs.
 */
public final class Calibration {
    /** Largest allowed difference between the LSTM replay and the engine's LSTM output. */
    static final double LSTM_TRACE_TOLERANCE = 1e-3;

    private final double[] min, max;
    private final Map<Integer, Double> cellMaxAbs;
    private final int samples;

    private Calibration(double[] min, double[] max, Map<Integer, Double> cellMaxAbs, int samples) {
        this.min = min;
        this.max = max;
        this.cellMaxAbs = cellMaxAbs;
        this.samples = samples;
    }

    /** Runs every sample through the float model and records each activation's range (default budget). */
    public static Calibration run(Model floatModel, float[][] samples) {
        return run(floatModel, samples, ModelBudget.DEFAULT);
    }

    /** Runs every sample through the float model, allocated under {@code budget}, and records each activation's range. */
    public static Calibration run(Model floatModel, float[][] samples, ModelBudget budget) {
        if (samples.length == 0) throw new IllegalArgumentException("the representative dataset is empty");
        SubgraphInfo g = floatModel.mainSubgraph();
        int n = g.tensors().size();
        int input = g.inputs()[0];
        Set<Integer> activations = new LinkedHashSet<>();
        activations.add(input);
        for (OperatorInfo op : g.operators()) {
            for (int o : op.outputs()) {
                TensorInfo t = g.tensor(o);
                if (t.type() == DataType.FLOAT32 && !t.isConstant() && !t.isVariable() && t.elementCount() > 0) activations.add(o);
            }
        }
        ModelWriter w = ModelWriter.from(floatModel);
        Set<Integer> outs = new LinkedHashSet<>();
        for (int o : g.outputs()) outs.add(o);
        for (int a : activations) if (a != input) outs.add(a);
        w.main().setOutputs(outs.stream().mapToInt(Integer::intValue).toArray());
        Engine engine = new Engine(Model.load(w.toByteArray()), budget);

        Map<Integer, LstmTrace> traces = new LinkedHashMap<>();
        for (int k = 0; k < g.operators().size(); k++) {
            OperatorInfo op = g.operators().get(k);
            if (op.opCode().builtinName().equals("UNIDIRECTIONAL_SEQUENCE_LSTM")) traces.put(k, new LstmTrace(g, op));
        }
        double[] min = new double[n], max = new double[n];
        Arrays.fill(min, Double.NaN);
        Arrays.fill(max, Double.NaN);
        for (int s = 0; s < samples.length; s++) {
            float[] sample = samples[s];
            if (sample == null || sample.length != engine.inputElements()) {
                throw new IllegalArgumentException("sample " + s + " has " + (sample == null ? 0 : sample.length)
                        + " values, the model input takes " + engine.inputElements());
            }
            engine.invoke(sample);
            Map<Integer, float[]> values = new LinkedHashMap<>();
            for (int a : activations) {
                float[] v = a == input ? sample : engine.tensor(a);
                values.put(a, v);
                for (int i = 0; i < v.length; i++) {
                    float x = v[i];
                    if (!Float.isFinite(x)) {
                        throw new IllegalArgumentException("sample " + s + ": tensor " + a + " '" + g.tensor(a).name() + "' holds "
                                + x + " at element " + i);
                    }
                    if (!(x >= min[a])) min[a] = x;
                    if (!(x <= max[a])) max[a] = x;
                }
            }
            for (var e : traces.entrySet()) {
                OperatorInfo op = g.operators().get(e.getKey());
                e.getValue().observe(values.get(op.input(0)), values.get(op.output(0)));
            }
        }
        Map<Integer, Double> cells = new LinkedHashMap<>();
        for (var e : traces.entrySet()) {
            if (e.getValue().maxOutputDifference() > LSTM_TRACE_TOLERANCE) {
                throw new IllegalStateException("LSTM operator " + e.getKey() + ": the cell-state replay differs from the engine's output by "
                        + e.getValue().maxOutputDifference() + " (tolerance " + LSTM_TRACE_TOLERANCE + ")");
            }
            cells.put(e.getKey(), e.getValue().cellMaxAbs());
        }
        return new Calibration(min, max, cells, samples.length);
    }

    /** Number of samples observed. */
    public int samples() { return samples; }

    /** Whether tensor {@code t} was observed. */
    public boolean has(int t) { return t >= 0 && t < min.length && !Double.isNaN(min[t]); }

    /** Smallest value tensor {@code t} took. */
    public double min(int t) { require(t); return min[t]; }

    /** Largest value tensor {@code t} took. */
    public double max(int t) { require(t); return max[t]; }

    /** Largest |cell state| of the LSTM operator at index {@code op}. */
    public double cellStateMaxAbs(int op) {
        Double v = cellMaxAbs.get(op);
        if (v == null) throw new IllegalArgumentException("operator " + op + " is not a calibrated LSTM");
        return v;
    }

    private void require(int t) {
        if (!has(t)) throw new IllegalArgumentException("tensor " + t + " was not calibrated");
    }
}
