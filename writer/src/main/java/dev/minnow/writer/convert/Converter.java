package dev.minnow.writer.convert;

import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.NetworkWriter;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.quant.Agreement;
import dev.minnow.writer.quant.AgreementReport;
import dev.minnow.writer.quant.DetectorCheck;
import dev.minnow.writer.quant.Quantizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The library side of {@code minnow convert}: a float network (JSON description, {@link FloatNetwork} or float
 * {@code .tflite}) plus a representative dataset in, the full-integer int8 model and its float-vs-int8 agreement
 * report out.
 *
 * <pre>{@code
 * Converter.Result r = Converter.fromNetworkJson(Path.of("net.json"))
 *         .datasetFiles(List.of(Path.of("calibration.csv")))
 *         .convert();
 * Files.write(Path.of("net_int8.tflite"), r.quantizedModel());
 * System.out.print(r.report().format());
 * }</pre>
 */
public final class Converter {
    private final byte[] floatModel;
    private final Model model;
    private float[][] dataset;
    private float[][] evaluation;
    private DataType inputType = DataType.FLOAT32, outputType = DataType.FLOAT32;
    private boolean perChannelDense = true;
    private DetectorCheck detector;
    private ModelBudget budget = ModelBudget.DEFAULT;

    private Converter(byte[] floatModel) {
        this.floatModel = floatModel;
        this.model = Model.load(floatModel);
        Quantizer.validate(model);
    }

    /** Converts a float network description. */
    public static Converter fromNetwork(FloatNetwork net) { return new Converter(NetworkWriter.write(net)); }

    /** Converts a float network given as JSON (see writer/README.md for the format). */
    public static Converter fromNetworkJson(Path json) throws IOException { return fromNetwork(NetworkJson.read(json)); }

    /** Converts a float32 {@code .tflite} file. */
    public static Converter fromFloatModel(Path tflite) throws IOException { return fromFloatModel(Files.readAllBytes(tflite)); }

    /** Converts a float32 {@code .tflite} model. */
    public static Converter fromFloatModel(byte[] tflite) { return new Converter(tflite.clone()); }

    /** Number of float values in one sample (the model input's element count). */
    public int sampleSize() {
        TensorInfo in = model.mainSubgraph().tensor(model.mainSubgraph().inputs()[0]);
        return Math.toIntExact(in.elementCount());
    }

    /** The representative dataset: samples of {@link #sampleSize()} values. */
    public Converter dataset(float[][] samples) {
        for (int i = 0; i < samples.length; i++) {
            if (samples[i] == null || samples[i].length != sampleSize()) {
                throw new IllegalArgumentException("sample " + i + " has " + (samples[i] == null ? 0 : samples[i].length)
                        + " values, the model input takes " + sampleSize());
            }
        }
        this.dataset = samples.clone();
        return this;
    }

    /** The representative dataset from CSV or raw float32 files ({@link RepresentativeDataset}). */
    public Converter datasetFiles(List<Path> files) throws IOException {
        return dataset(RepresentativeDataset.read(files, sampleSize()));
    }

    /** Samples the agreement report is measured on (default: the representative dataset). */
    public Converter evaluationDataset(float[][] samples) {
        this.evaluation = Objects.requireNonNull(samples, "samples").clone();
        return this;
    }

    /** The quantized model's input type: FLOAT32 (default, QUANTIZE inside) or INT8. */
    public Converter inputType(DataType t) { this.inputType = t; return this; }

    /** The quantized model's output type: FLOAT32 (default, DEQUANTIZE inside) or INT8. */
    public Converter outputType(DataType t) { this.outputType = t; return this; }

    /** Per-channel (default) or per-tensor FULLY_CONNECTED weights. */
    public Converter perChannelDense(boolean on) { this.perChannelDense = on; return this; }

    /** Also report how many of a detector's threshold decisions change. */
    public Converter detector(DetectorCheck check) { this.detector = check; return this; }

    /**
     * The budget the float and quantized models are allocated under to calibrate and compare them
     * ({@link ModelBudget#DEFAULT} unless set: pass {@link ModelBudget#TRUSTED} for a trusted model that needs more).
     */
    public Converter budget(ModelBudget budget) { this.budget = Objects.requireNonNull(budget, "budget"); return this; }

    /** Calibrates, quantizes and measures agreement. */
    public Result convert() {
        if (dataset == null) throw new IllegalStateException("no representative dataset given");
        Quantizer.Result q = Quantizer.quantize(model, dataset, new Quantizer.Options(inputType, outputType, perChannelDense), budget);
        byte[] quantized = q.model();
        AgreementReport report = Agreement.measure(model, Model.load(quantized), evaluation == null ? dataset : evaluation, detector, budget);
        return new Result(floatModel, quantized, report);
    }

    /**
     * The conversion's products.
     *
     * @param floatModel     the float32 model (as written from the network, or as given)
     * @param quantizedModel the full-integer model
     * @param report         float-vs-int8 agreement
     */
    public record Result(byte[] floatModel, byte[] quantizedModel, AgreementReport report) {
        public Result {
            floatModel = floatModel.clone();
            quantizedModel = quantizedModel.clone();
        }
        @Override public byte[] floatModel() { return floatModel.clone(); }
        @Override public byte[] quantizedModel() { return quantizedModel.clone(); }
    }
}
