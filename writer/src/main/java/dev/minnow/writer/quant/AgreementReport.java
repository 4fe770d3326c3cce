package dev.minnow.writer.quant;

import java.util.List;
import java.util.Locale;

/**
 * How closely a quantized model follows its float original over a dataset.
 *
 * @param samples   samples compared
 * @param outputs   per model output: the error statistics
 * @param decisions the detector's threshold decisions, null when no detector check was given
 */
public record AgreementReport(int samples, List<OutputAgreement> outputs, Decisions decisions) {
    public AgreementReport { outputs = List.copyOf(outputs); }

    /**
     * Error statistics of one output: |float - quantized| over every element of every sample (quantized outputs
     * taken as real values).
     *
     * @param name          the output tensor's name
     * @param elements      values compared (samples x output size)
     * @param maxAbsError   largest absolute error
     * @param meanAbsError  mean absolute error
     * @param floatMin      smallest float output value
     * @param floatMax      largest float output value
     * @param outputScale   the quantized output's scale (its resolution before any DEQUANTIZE)
     */
    public record OutputAgreement(String name, long elements, double maxAbsError, double meanAbsError, double floatMin,
                                  double floatMax, double outputScale) {
        /** The maximum error in output quantization steps. */
        public double maxErrorInSteps() { return maxAbsError / outputScale; }
    }

    /**
     * Threshold decisions of the float and the quantized detector.
     *
     * @param threshold       the threshold
     * @param floatPositives  samples the float model scores above the threshold
     * @param quantPositives  samples the quantized model scores above the threshold
     * @param changed         samples decided differently
     * @param maxScoreError   largest |float score - quantized score|
     */
    public record Decisions(double threshold, int floatPositives, int quantPositives, int changed, double maxScoreError) {}

    /** A readable multi-line summary. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "float vs int8 over %d samples%n", samples));
        for (OutputAgreement o : outputs) {
            sb.append(String.format(Locale.ROOT, "  %s: max |err| %.6g (%.2f output steps of %.6g), mean |err| %.6g, float range [%.6g, %.6g]%n",
                    o.name(), o.maxAbsError(), o.maxErrorInSteps(), o.outputScale(), o.meanAbsError(), o.floatMin(), o.floatMax()));
        }
        if (decisions != null) {
            sb.append(String.format(Locale.ROOT, "  detector at threshold %.6g: %d of %d decisions change (float %d positive, int8 %d), max score error %.6g%n",
                    decisions.threshold(), decisions.changed(), samples, decisions.floatPositives(), decisions.quantPositives(),
                    decisions.maxScoreError()));
        }
        return sb.toString();
    }

    @Override public String toString() { return format(); }
}
