package dev.minnow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minnow.MinnowException;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.writer.NetworkWriter;
import dev.minnow.writer.convert.Converter;
import dev.minnow.writer.convert.NetworkJson;
import dev.minnow.writer.convert.RepresentativeDataset;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.quant.AgreementReport;
import dev.minnow.writer.quant.DetectorCheck;
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

/**
 * {@code minnow convert SOURCE --dataset FILE... --output OUT.tflite}: post-training full-integer quantization of a
 * float network (JSON description or float32 {@code .tflite}) calibrated on a representative dataset, with the
 * float-vs-int8 agreement report. The library side is {@link Converter}.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"Quantize a float network to a full-integer int8 .tflite, as TFLite's converter does with a "
                + "representative dataset, and print how closely the int8 model follows the float one.",
                "SOURCE is a float network described in JSON (*.json, the format of writer/README.md: Keras layer "
                + "names, configs and weights) or a float32 .tflite (any other name). The dataset holds samples of the "
                + "model input, flattened row-major: CSV (*.csv, one sample per line) or raw little-endian float32 "
                + "(any other name, whole samples).",
                BudgetOption.REFUSAL},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the int8 model is written", "1:the source cannot be quantized or quantization fails",
                "2:bad usage, or a missing, unreadable or malformed input file"})
final class ConvertCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "SOURCE", description = "the float network: NET.json or FLOAT.tflite")
    Path source;

    @Option(names = {"-d", "--dataset"}, arity = "1..*", required = true, paramLabel = "FILE",
            description = "representative dataset files (CSV or raw float32), concatenated; calibrates the activation ranges")
    List<Path> dataset = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "where the int8 .tflite is written")
    Path output;

    @Option(names = "--float-output", paramLabel = "FILE",
            description = "also write the float32 .tflite (what a JSON network becomes)")
    Path floatOutput;

    @Option(names = "--input-type", paramLabel = "TYPE", defaultValue = "float32", converter = EdgeType.class,
            description = "type of the int8 model's input: float32 (default; a QUANTIZE op inside) or int8")
    DataType inputType;

    @Option(names = "--output-type", paramLabel = "TYPE", defaultValue = "float32", converter = EdgeType.class,
            description = "type of the int8 model's outputs: float32 (default; a DEQUANTIZE op inside) or int8")
    DataType outputType;

    @Option(names = "--per-tensor-dense",
            description = "one weight scale per FULLY_CONNECTED layer (older converters) instead of one per output channel")
    boolean perTensorDense;

    @Option(names = "--evaluate", arity = "1..*", paramLabel = "FILE",
            description = "held-out samples (same formats) the agreement report is measured on (default: the dataset)")
    List<Path> evaluate;

    @Option(names = "--detector-threshold", paramLabel = "T",
            description = "also count the anomaly decisions that change: score = mean squared error between the input and "
                    + "the first output (an autoencoder's reconstruction error), anomaly when score > T")
    Double threshold;

    @Option(names = "--json", description = "print the result as one JSON object")
    boolean json;

    @picocli.CommandLine.Mixin DebugOption debug;

    @picocli.CommandLine.Mixin BudgetOption budget;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        ModelFiles.requireFile(source);
        for (Path p : dataset) ModelFiles.requireFile(p);
        if (evaluate != null) for (Path p : evaluate) ModelFiles.requireFile(p);
        refuseOverwriting(output, "--output");
        if (floatOutput != null) {
            refuseOverwriting(floatOutput, "--float-output");
            if (floatOutput.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
                throw UserError.usage("--output and --float-output name the same file " + output);
            }
        }
        if (threshold != null && !Double.isFinite(threshold)) throw UserError.usage("--detector-threshold must be a finite number, got " + threshold);

        byte[] floatBytes = floatModel();
        Converter converter;
        try {
            converter = Converter.fromFloatModel(floatBytes);
        } catch (IllegalArgumentException e) {
            throw UserError.failed(source + ": cannot be quantized: " + e.getMessage());
        }
        int sampleSize = converter.sampleSize();
        try {
            converter.datasetFiles(dataset);
            if (evaluate != null) converter.evaluationDataset(RepresentativeDataset.read(evaluate, sampleSize));
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        } catch (IOException e) {
            throw UserError.usage("cannot read the dataset: " + e);
        }
        if (threshold != null) {
            Model m = Model.load(floatBytes);
            SubgraphInfo g = m.mainSubgraph();
            long outSize = g.tensor(g.outputs()[0]).elementCount();
            if (outSize != sampleSize) {
                throw UserError.usage("--detector-threshold scores the reconstruction error, which needs the first output as large "
                        + "as the input: " + source + " maps " + sampleSize + " input values to " + outSize + " output values");
            }
            converter.detector(new DetectorCheck(DetectorCheck.reconstructionError(), threshold));
        }
        converter.inputType(inputType).outputType(outputType).perChannelDense(!perTensorDense).budget(budget.budget());
        Converter.Result r;
        try {
            r = converter.convert();
        } catch (IllegalArgumentException | IllegalStateException | MinnowException e) {
            throw UserError.failed(source + ": quantization failed: " + e.getMessage() + BudgetOption.hintFor(e));
        }
        write(output, r.quantizedModel());
        if (floatOutput != null) write(floatOutput, r.floatModel());

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(r));
        } else {
            out.print(r.report().format());
            out.println("wrote " + output + " (" + r.quantizedModel().length + " bytes: int8, " + inputType.lowerName()
                    + " input, " + outputType.lowerName() + " output" + (perTensorDense ? ", per-tensor dense weights" : "") + ")");
            if (floatOutput != null) out.println("wrote " + floatOutput + " (" + r.floatModel().length + " bytes: float32)");
        }
        out.flush();
        return 0;
    }

    /** The float model's bytes: the JSON network written as TFLite's converter lays it out, or the .tflite as given. */
    private byte[] floatModel() {
        if (source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            FloatNetwork net;
            try {
                net = NetworkJson.read(source);
            } catch (IllegalArgumentException e) {
                throw UserError.usage(e.getMessage().startsWith(source.toString()) ? e.getMessage() : source + ": " + e.getMessage());
            } catch (IOException e) {
                throw UserError.usage(source + ": cannot read: " + e);
            }
            try {
                return NetworkWriter.write(net);
            } catch (IllegalArgumentException e) {
                throw UserError.usage(source + ": " + e.getMessage());
            }
        }
        return ModelFiles.load(source).toByteArray();
    }

    private void refuseOverwriting(Path target, String option) {
        if (target.toAbsolutePath().normalize().equals(source.toAbsolutePath().normalize())) {
            throw UserError.usage(option + " " + target + " is the source; choose another file");
        }
        if (Files.isDirectory(target)) throw UserError.usage(option + " " + target + ": is a directory, not a file");
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) throw UserError.usage(file + ": the directory " + parent + " does not exist");
            Files.write(file, bytes);
        } catch (IOException e) {
            throw UserError.usage(file + ": cannot write: " + e);
        }
    }

    private String json(Converter.Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("output", output.toString());
        o.put("bytes", r.quantizedModel().length);
        if (floatOutput != null) {
            o.put("floatOutput", floatOutput.toString());
            o.put("floatBytes", r.floatModel().length);
        }
        o.put("inputType", inputType.lowerName());
        o.put("outputType", outputType.lowerName());
        o.put("perChannelDense", !perTensorDense);
        AgreementReport report = r.report();
        o.put("samples", report.samples());
        ArrayNode outs = o.putArray("outputs");
        for (AgreementReport.OutputAgreement a : report.outputs()) {
            ObjectNode n = outs.addObject();
            n.put("name", a.name());
            n.put("elements", a.elements());
            n.put("maxAbsError", a.maxAbsError());
            n.put("meanAbsError", a.meanAbsError());
            n.put("maxErrorInSteps", a.maxErrorInSteps());
            n.put("outputScale", a.outputScale());
            n.put("floatMin", a.floatMin());
            n.put("floatMax", a.floatMax());
        }
        AgreementReport.Decisions d = report.decisions();
        if (d == null) {
            o.putNull("decisions");
        } else {
            ObjectNode n = o.putObject("decisions");
            n.put("threshold", d.threshold());
            n.put("changed", d.changed());
            n.put("floatPositives", d.floatPositives());
            n.put("quantizedPositives", d.quantPositives());
            n.put("maxScoreError", d.maxScoreError());
        }
        return o.toString();
    }

    /** --input-type / --output-type: float32 or int8, the types the quantizer offers at the model's edges. */
    static final class EdgeType implements picocli.CommandLine.ITypeConverter<DataType> {
        @Override public DataType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "float32" -> DataType.FLOAT32;
                case "int8" -> DataType.INT8;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not float32 or int8");
            };
        }
    }
}
