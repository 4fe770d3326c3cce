package dev.minnow.writer.quant;

import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import dev.minnow.model.TensorInfo;

import java.util.ArrayList;
import java.util.List;

/** Measures float-vs-quantized agreement by running both models in minnow's engine. */
public final class Agreement {
    private Agreement() {}

    /**
     * Runs every sample through both models (each from a fresh state) and compares their outputs as real values;
     * with a {@code detector}, also compares the threshold decisions on the first output.
     */
    public static AgreementReport measure(Model floatModel, Model quantModel, float[][] samples, DetectorCheck detector) {
        return measure(floatModel, quantModel, samples, detector, ModelBudget.DEFAULT);
    }

    /** {@link #measure(Model, Model, float[][], DetectorCheck)} with both models allocated under {@code budget}. */
    public static AgreementReport measure(Model floatModel, Model quantModel, float[][] samples, DetectorCheck detector,
                                          ModelBudget budget) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples to compare on");
        Engine f = new Engine(floatModel, budget), q = new Engine(quantModel, budget);
        if (f.outputCount() != q.outputCount()) {
            throw new IllegalArgumentException("float model has " + f.outputCount() + " outputs, quantized model " + q.outputCount());
        }
        int outs = f.outputCount();
        double[] maxErr = new double[outs], sumErr = new double[outs], fmin = new double[outs], fmax = new double[outs];
        long[] count = new long[outs];
        java.util.Arrays.fill(fmin, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(fmax, Double.NEGATIVE_INFINITY);
        int floatPos = 0, quantPos = 0, changed = 0;
        double maxScoreErr = 0;
        for (int s = 0; s < samples.length; s++) {
            f.invoke(samples[s]);
            q.invoke(samples[s]);
            for (int k = 0; k < outs; k++) {
                float[] a = f.output(k), b = q.output(k);
                if (a.length != b.length) throw new IllegalArgumentException("output " + k + " has " + a.length + " float values, " + b.length + " quantized");
                for (int i = 0; i < a.length; i++) {
                    double e = Math.abs((double) a[i] - b[i]);
                    maxErr[k] = Math.max(maxErr[k], e);
                    sumErr[k] += e;
                    fmin[k] = Math.min(fmin[k], a[i]);
                    fmax[k] = Math.max(fmax[k], a[i]);
                }
                count[k] += a.length;
            }
            if (detector != null) {
                double sf = detector.score().score(s, samples[s], f.output(0));
                double sq = detector.score().score(s, samples[s], q.output(0));
                boolean pf = sf > detector.threshold(), pq = sq > detector.threshold();
                if (pf) floatPos++;
                if (pq) quantPos++;
                if (pf != pq) changed++;
                maxScoreErr = Math.max(maxScoreErr, Math.abs(sf - sq));
            }
        }
        List<AgreementReport.OutputAgreement> list = new ArrayList<>();
        int[] qOutputs = quantModel.mainSubgraph().outputs();
        for (int k = 0; k < outs; k++) {
            TensorInfo t = quantModel.mainSubgraph().tensor(qOutputs[k]);
            list.add(new AgreementReport.OutputAgreement(t.name(), count[k], maxErr[k], sumErr[k] / count[k], fmin[k], fmax[k],
                    outputScale(quantModel, qOutputs[k])));
        }
        AgreementReport.Decisions d = detector == null ? null
                : new AgreementReport.Decisions(detector.threshold(), floatPos, quantPos, changed, maxScoreErr);
        return new AgreementReport(samples.length, list, d);
    }

    /** The scale of the quantized output: its own, or that of the int8 tensor a DEQUANTIZE reads it from. */
    private static double outputScale(Model m, int tensor) {
        TensorInfo t = m.mainSubgraph().tensor(tensor);
        if (t.quantization().isQuantized()) return t.quantization().scale();
        for (var op : m.mainSubgraph().operators()) {
            if (op.outputCount() == 1 && op.output(0) == tensor && op.opCode().builtinName().equals("DEQUANTIZE")) {
                return m.mainSubgraph().tensor(op.input(0)).quantization().scale();
            }
        }
        return Double.NaN;
    }
}
