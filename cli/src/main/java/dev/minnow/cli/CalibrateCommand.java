package dev.minnow.cli;

import dev.minnow.emulator.detect.DetectionPipeline;
import dev.minnow.emulator.detect.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code minnow calibrate [MODEL] --config CFG --input NORMAL.csv|- ...}: sets the threshold from normal data. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Score normal data through the detection loop and set the config's threshold to a quantile of "
                + "the scores times a factor (default: quantile 0.99, factor 1), or with --sigma K to their mean + K "
                + "standard deviations. The threshold and how it was set are written into the config (or --out); "
                + "everything else in it is kept.",
                "Exit 0; 1 when the model does not fit the board or the engine rejects it; 2 on bad input (a broken CSV line, too few rows for a window).",
                BudgetOption.REFUSAL})
final class CalibrateCommand implements Callable<Integer> {
    @Mixin DetectorInputs inputs;

    @Option(names = "--input", paramLabel = "NORMAL.csv|-", required = true, description = "normal sensor data, - for stdin")
    String input;

    @Option(names = "--quantile", paramLabel = "Q", description = "the quantile of the normal scores, in (0, 1] (default 0.99)")
    Double quantile;

    @Option(names = "--factor", paramLabel = "F", description = "the quantile is multiplied by F (default 1.0)")
    Double factor;

    @Option(names = "--sigma", paramLabel = "K", description = "threshold = mean + K standard deviations (not with --quantile/--factor)")
    Double sigma;

    @Option(names = "--out", paramLabel = "CFG2", description = "write the calibrated config here (default: over CFG)")
    Path out;

    @Mixin DebugOption debug;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws IOException {
        if (sigma != null && (quantile != null || factor != null)) {
            throw UserError.usage("--sigma " + sigma + " sets the threshold from mean and standard deviation; it does not take "
                    + (quantile != null ? "--quantile " + quantile : "--factor " + factor) + " (use one method)");
        }
        return EmulatorErrors.mapped(inputs::modelFile, () -> {
            DetectionPipeline.CalibrationSpec how = sigma != null ? DetectionPipeline.CalibrationSpec.sigma(sigma)
                    : DetectionPipeline.CalibrationSpec.quantile(quantile != null ? quantile : 0.99, factor != null ? factor : 1.0);
            PipelineConfig cfg = inputs.loadConfig();
            DetectorInputs.Resolved r = inputs.resolve(cfg);
            PrintWriter o = spec.commandLine().getOut();
            DetectionPipeline.CalibrationResult c;
            try (DetectionPipeline p = DetectionPipeline.open(r.model(), cfg, r.board(), inputs.budget())) {
                EmulatorInputs.Stream in = EmulatorInputs.open(input, spec.commandLine().getErr());
                try (var stream = in.in()) {
                    c = p.calibrate(stream, in.name(), how);
                }
            }
            Path target = out != null ? out : inputs.config;
            try {
                c.config().write(target);
            } catch (IOException e) {
                throw EmulatorErrors.withCause(UserError.usage(target + ": cannot write the calibrated config: " + e.getMessage()), e);
            }
            o.println(line(c, how));
            if (!c.exact()) {
                o.println(String.format(Locale.ROOT, "(quantile from a uniform sample of %,d windows)", DetectionPipeline.CALIBRATION_SAMPLE));
            }
            o.println("written to " + target);
            o.flush();
            return 0;
        });
    }

    /** {@code threshold T (quantile: quantile q = v x f, N windows of NAME)} or the sigma form. */
    static String line(DetectionPipeline.CalibrationResult c, DetectionPipeline.CalibrationSpec how) {
        String data = c.config().calibration().data();
        String method = "quantile".equals(how.method())
                ? String.format(Locale.ROOT, "quantile: quantile %s = %.6g x %s", num(how.quantile()), c.quantileValue(), num(how.factor()))
                : String.format(Locale.ROOT, "sigma: mean %.6g + %s x std %.6g", c.mean(), num(how.k()), c.std());
        return String.format(Locale.ROOT, "threshold %s (%s, %,d windows of %s)", c.threshold(), method, c.windows(), data);
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%.1f", v) : Double.toString(v);
    }
}
