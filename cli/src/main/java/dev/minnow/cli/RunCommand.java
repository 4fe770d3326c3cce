package dev.minnow.cli;

import dev.minnow.MinnowException;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code minnow run MODEL --input FILE... [--output DIR]}: one invoke of a model on the user's inputs. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a model once on your inputs and print its outputs (or write them into a directory).",
                "Inputs, one file per model input in the model's order, by extension: .npy (dtype and shape must "
                + "equal the input's), .csv (numbers separated by commas, row-major across lines; for a quantized "
                + "input real values, quantized with its scale and zero point, or its integers with --raw-values), "
                + "anything else raw little-endian bytes, exactly the input's size.",
                "Printed per output: name, type, shape, quantization, and the values (quantized outputs: dequantized "
                + "values, then the raw integers)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the model cannot be allocated (unsupported op, a check TFLM makes, --arena too small) or fails to run",
                "2:bad usage, or an input file that is missing or does not fit the input"})
final class RunCommand implements Callable<Integer> {
    /** How outputs are written into --output DIR. */
    enum Format { npy, raw }

    @Parameters(index = "0", paramLabel = "MODEL", description = "the .tflite file")
    Path model;

    @Option(names = {"-i", "--input"}, arity = "1..*", paramLabel = "FILE",
            description = "input files, one per model input in order (repeat the option or list them)")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR",
            description = "write output k to DIR/output_k.npy (or .bin with --format raw) instead of printing values; DIR is created if needed")
    Path outputDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "npy",
            description = "format of the files written into --output: npy (default; the tensor's own dtype) or raw (little-endian bytes)")
    Format format;

    @Option(names = "--raw-values", description = "CSV values of quantized inputs are the stored integers, not real values")
    boolean rawValues;

    @Option(names = "--arena", paramLabel = "BYTES", defaultValue = "0",
            description = "the tensor arena size, judged as TFLM would on the target (default 0: exactly what the model needs)")
    int arena;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "mcu32",
            description = "mcu32 (default) or host64: whose arena accounting judges --arena", converter = ArenaCommand.TargetConverter.class)
    Target target;

    @picocli.CommandLine.Mixin DebugOption debug;

    @picocli.CommandLine.Mixin BudgetOption budget;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        if (arena < 0) throw UserError.usage("--arena must be 0 (size to fit) or a positive number of bytes, got " + arena);
        Model m = ModelFiles.load(model);
        SubgraphInfo g = m.mainSubgraph();
        int[] in = g.inputs();
        if (inputs.size() != in.length) {
            throw UserError.usage(model + " has " + in.length + " input" + (in.length == 1 ? "" : "s") + " but "
                    + inputs.size() + " --input file" + (inputs.size() == 1 ? " was" : "s were") + " given; the model's inputs: "
                    + describeAll(g, in, "input"));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Interpreter interpreter = ModelFiles.allocate(model, m, budget.apply(new InterpreterOptions().setArenaSize(arena).setTarget(target)))) {
            List<byte[]> data = new ArrayList<>();
            for (int i = 0; i < in.length; i++) {
                data.add(TensorInput.read(inputs.get(i), g.tensor(in[i]), "input " + i, rawValues,
                        w -> err.println("minnow run: warning: " + w)));
            }
            if (outputDir != null) prepareOutputDir();
            try {
                for (int i = 0; i < in.length; i++) interpreter.getInputTensor(i).copyFrom(data.get(i));
                interpreter.invoke();
            } catch (MinnowException e) {
                throw UserError.failed(model + ": invoke failed: " + e.getMessage());
            }
            int[] outs = g.outputs();
            for (int k = 0; k < outs.length; k++) {
                TensorInfo t = g.tensor(outs[k]);
                byte[] bytes = interpreter.getOutputTensor(k).toByteArray();
                if (outputDir == null) out.print(format(t, "output " + k, bytes));
                else out.println(write(t, k, bytes));
            }
        }
        out.flush();
        return 0;
    }

    private static String describeAll(SubgraphInfo g, int[] tensors, String label) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < tensors.length; i++) parts.add(TensorInput.describe(g.tensor(tensors[i]), label + " " + i));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private void prepareOutputDir() {
        if (Files.exists(outputDir) && !Files.isDirectory(outputDir)) {
            throw UserError.usage(outputDir + ": exists and is not a directory (--output takes a directory)");
        }
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw UserError.usage(outputDir + ": cannot create the output directory: " + e);
        }
    }

    private String write(TensorInfo t, int k, byte[] bytes) {
        String suffix = format == Format.npy ? ".npy" : ".bin";
        Path file = outputDir.resolve("output_" + k + suffix);
        byte[] content = bytes;
        if (format == Format.npy) {
            if (Elements.npyDescr(t.type()) == null) {
                throw UserError.usage("output " + k + " is " + t.type().lowerName() + ", which has no numpy dtype: use --format raw");
            }
            content = Npy.write(t.type(), t.shape(), bytes);
        }
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw UserError.usage(file + ": cannot write: " + e);
        }
        String q = ModelDescription.quantization(t.quantization());
        return "wrote " + file + "  " + TensorInput.describe(t, "output " + k) + (q.isEmpty() ? "" : "  " + q);
    }

    /** Values per printed line. */
    private static final int PER_LINE = 10;

    /**
     * An output as text: a heading with name, type, shape and quantization, then the values ten to a line, each line
     * starting with the flat index of its first value; quantized outputs print the dequantized values
     * ({@code scale * (q - zero_point)} as float, as TFLite's DEQUANTIZE computes it) and then the raw integers.
     */
    static String format(TensorInfo t, String label, byte[] bytes) {
        StringBuilder sb = new StringBuilder(TensorInput.describe(t, label));
        String q = ModelDescription.quantization(t.quantization());
        if (!q.isEmpty()) sb.append("  ").append(q);
        sb.append('\n');
        DataType type = t.type();
        int n = (int) t.elementCount();
        if (!Elements.isNumeric(type)) {
            return sb.append("  ").append(bytes.length).append(" bytes of ").append(type.lowerName())
                    .append(" (not printed; write them with --output DIR --format raw)\n").toString();
        }
        Quantization qt = t.quantization();
        boolean dequantize = Elements.isInteger(type) && qt.isQuantized() && !qt.isPerChannel();
        if (dequantize) {
            String[] real = new String[n];
            double scale = qt.scale();
            long zp = qt.zeroPoint(0);
            for (int i = 0; i < n; i++) real[i] = Float.toString((float) (scale * (Elements.getInteger(bytes, i, type) - zp)));
            block(sb, "real", real);
        }
        String[] raw = new String[n];
        for (int i = 0; i < n; i++) raw[i] = Elements.format(bytes, i, type);
        block(sb, dequantize ? "raw " : "", raw);
        return sb.toString();
    }

    private static void block(StringBuilder sb, String title, String[] values) {
        int width = String.valueOf(Math.max(0, values.length - 1)).length() + 2;
        for (int i = 0; i < values.length; i += PER_LINE) {
            sb.append("  ").append(title).append(title.isEmpty() ? "" : " ")
                    .append(String.format(Locale.ROOT, "%-" + width + "s", "[" + i + "]"));
            for (int j = i; j < Math.min(values.length, i + PER_LINE); j++) sb.append(' ').append(values[j]);
            sb.append('\n');
        }
        if (values.length == 0) sb.append("  ").append(title).append(title.isEmpty() ? "" : " ").append("(no elements)\n");
    }
}
