package dev.minnow.writer.quant;

import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.LeArrays;

/**
 * Replays a float UNIDIRECTIONAL_SEQUENCE_LSTM step by step in double precision to observe what the engine's
 * kernel keeps internal: the cell state at every step, whose range sets the int16 cell-state scale. The replay is
 * checked against the engine's own output sequence ({@link #maxOutputDifference()}), so a model it does not
 * describe faithfully is caught instead of being calibrated wrongly. Only the standard Keras LSTM is handled
 * (batch-major, no peepholes, projection or layer norm; validated by the quantizer).
 */
final class LstmTrace {
    private final int units, inputs;
    private final float[][] w = new float[4][], r = new float[4][], b = new float[4][];
    private final float cellClip;
    private double cellMaxAbs;
    private double maxOutputDifference;

    LstmTrace(SubgraphInfo g, OperatorInfo op) {
        for (int gate = 0; gate < 4; gate++) {
            w[gate] = floats(g, op.input(1 + gate));
            r[gate] = floats(g, op.input(5 + gate));
            b[gate] = floats(g, op.input(12 + gate));
        }
        TensorInfo w0 = g.tensor(op.input(1));
        units = w0.dim(0);
        inputs = w0.dim(1);
        cellClip = op.options().getFloat("cellClip", 0f);
    }

    private static float[] floats(SubgraphInfo g, int tensor) {
        TensorInfo t = g.tensor(tensor);
        return LeArrays.toFloats(java.util.Arrays.copyOf(t.constantData(), (int) t.elementCount() * 4));
    }

    /** Replays one sequence ({@code x}: [T * inputs]) and compares with the engine's output ({@code h}: [T * units]). */
    void observe(float[] x, float[] h) {
        int steps = x.length / inputs;
        double[] hs = new double[units], cs = new double[units], next = new double[units];
        double[] gate = new double[4];
        for (int t = 0; t < steps; t++) {
            for (int u = 0; u < units; u++) {
                for (int k = 0; k < 4; k++) {
                    double acc = b[k][u];
                    for (int i = 0; i < inputs; i++) acc += (double) w[k][u * inputs + i] * x[t * inputs + i];
                    for (int j = 0; j < units; j++) acc += (double) r[k][u * units + j] * hs[j];
                    gate[k] = acc;
                }
                double ig = sigmoid(gate[0]), fg = sigmoid(gate[1]), gg = Math.tanh(gate[2]), og = sigmoid(gate[3]);
                double c = fg * cs[u] + ig * gg;
                if (cellClip > 0) c = Math.max(-cellClip, Math.min(cellClip, c));
                cs[u] = c;
                cellMaxAbs = Math.max(cellMaxAbs, Math.abs(c));
                next[u] = og * Math.tanh(c);
            }
            System.arraycopy(next, 0, hs, 0, units);
            for (int u = 0; u < units; u++) {
                maxOutputDifference = Math.max(maxOutputDifference, Math.abs(hs[u] - h[t * units + u]));
            }
        }
    }

    /** Largest |cell state| seen over every step of every sequence. */
    double cellMaxAbs() { return cellMaxAbs; }

    /** Largest difference between the replayed hidden states and the engine's LSTM output. */
    double maxOutputDifference() { return maxOutputDifference; }

    private static double sigmoid(double v) { return 1 / (1 + Math.exp(-v)); }
}
