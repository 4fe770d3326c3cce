package dev.minnow.bench;

import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-kernel benchmarks: operators cut out of the corpus's real models (their shapes, weights, quantization and
 * options), chosen to cover what the fast kernels must speed up. {@code quick} marks the smoke-run subset.
 */
public final class KernelCatalog {
    private KernelCatalog() {}

    /** The {@code occurrence}-th {@code op} of the model in corpus folder {@code caseDir}, benchmarked as {@code id}. */
    public record KernelDef(String id, String caseDir, String op, int occurrence, boolean quick) {}

    private static final String AD_I8 = "models/mlperftiny-ad_model_ToyCar_quant_fullint_micro";
    private static final String AD_F32 = "models/mlperftiny-ad_model_ToyCar";
    private static final String KWS = "models/mlperftiny-kws_ref_model";
    private static final String VWW_I8 = "models/mlperftiny-vww_96_int8";
    private static final String VWW_F32 = "models/mlperftiny-vww_96_float";
    private static final String IC_I8 = "models/mlperftiny-ic_pretrainedResnet_large_int8";
    private static final String IC_F32 = "models/mlperftiny-ic_pretrainedResnet";

    /** Every kernel benchmark, in table order. */
    public static final List<KernelDef> ALL = List.of(
            new KernelDef("ad_fc_640x128_i8", AD_I8, "FULLY_CONNECTED", 0, true),
            new KernelDef("ad_fc_128x128_i8", AD_I8, "FULLY_CONNECTED", 1, false),
            new KernelDef("ad_fc_128x640_i8", AD_I8, "FULLY_CONNECTED", 9, false),
            new KernelDef("ad_fc_640x128_f32", AD_F32, "FULLY_CONNECTED", 0, false),
            new KernelDef("ad_fc_128x640_f32", AD_F32, "FULLY_CONNECTED", 9, false),
            new KernelDef("ad_fc_128x128_f32", AD_F32, "FULLY_CONNECTED", 1, false),
            new KernelDef("kws_conv_10x4_s2_i8", KWS, "CONV_2D", 0, true),
            new KernelDef("kws_dw_3x3_i8", KWS, "DEPTHWISE_CONV_2D", 0, true),
            new KernelDef("kws_pw_64x64_i8", KWS, "CONV_2D", 1, false),
            new KernelDef("kws_avgpool_i8", KWS, "AVERAGE_POOL_2D", 0, false),
            new KernelDef("kws_softmax_12_i8", KWS, "SOFTMAX", 0, false),
            new KernelDef("vww_conv_3x3_s2_i8", VWW_I8, "CONV_2D", 0, false),
            new KernelDef("vww_dw_3x3_48_i8", VWW_I8, "DEPTHWISE_CONV_2D", 0, false),
            new KernelDef("vww_pw_48_8x16_i8", VWW_I8, "CONV_2D", 1, false),
            new KernelDef("vww_dw_3x3_s2_i8", VWW_I8, "DEPTHWISE_CONV_2D", 1, false),
            new KernelDef("vww_pw_6_128x128_i8", VWW_I8, "CONV_2D", 7, false),
            new KernelDef("vww_conv_3x3_s2_f32", VWW_F32, "CONV_2D", 0, false),
            new KernelDef("vww_dw_3x3_48_f32", VWW_F32, "DEPTHWISE_CONV_2D", 0, false),
            new KernelDef("vww_pw_48_8x16_f32", VWW_F32, "CONV_2D", 1, false),
            new KernelDef("ic_conv_3x3_40_i8", IC_I8, "CONV_2D", 1, false),
            new KernelDef("ic_add_32x32x40_i8", IC_I8, "ADD", 0, true),
            new KernelDef("ic_conv_3x3_16_f32", IC_F32, "CONV_2D", 1, false),
            new KernelDef("ic_add_32x32x16_f32", IC_F32, "ADD", 0, false),
            new KernelDef("ic_softmax_10_f32", IC_F32, "SOFTMAX", 0, false),
            new KernelDef("lstm_50x50_10steps_i8", "detectors/lstm_forecaster_i8", "UNIDIRECTIONAL_SEQUENCE_LSTM", 1, true),
            new KernelDef("lstm_50x50_10steps_f32", "detectors/lstm_forecaster_f32", "UNIDIRECTIONAL_SEQUENCE_LSTM", 1, false),
            new KernelDef("lstm_28x20_28steps_i8", "models/tflm-mnist_lstm_int8", "UNIDIRECTIONAL_SEQUENCE_LSTM", 0, false),
            new KernelDef("convae_conv_1x7_s2_i8", "detectors/conv_ae_i8", "CONV_2D", 0, false),
            new KernelDef("convae_tconv_1x7_s2_i8", "detectors/conv_ae_i8", "TRANSPOSE_CONV", 1, false),
            new KernelDef("convae_conv_1x7_s2_32x16_i8", "detectors/conv_ae_i8", "CONV_2D", 1, false),
            new KernelDef("convae_tconv_1x7_s2_16x16_i8", "detectors/conv_ae_i8", "TRANSPOSE_CONV", 0, false),
            new KernelDef("convae_conv_1x7_32x8_i8", "detectors/conv_ae_i8", "CONV_2D", 2, false),
            new KernelDef("convae_tconv_1x7_s2_f32", "detectors/conv_ae_f32", "TRANSPOSE_CONV", 1, false),
            new KernelDef("microspeech_dw_10x8_x8_i8", "models/tflm-micro_speech_quantized", "DEPTHWISE_CONV_2D", 0, false),
            new KernelDef("vww_pw_24_16x32_i8", VWW_I8, "CONV_2D", 2, false),
            new KernelDef("vww_pw_12_64x64_i8", VWW_I8, "CONV_2D", 5, false),
            new KernelDef("ic_conv_3x3_s2_40x80_i8", IC_I8, "CONV_2D", 3, false),
            new KernelDef("ic_conv_3x3_8x8_160_i8", IC_I8, "CONV_2D", 7, false),
            new KernelDef("ic_conv_3x3_8x8_64_f32", IC_F32, "CONV_2D", 7, false),
            new KernelDef("mnv2_fc_1280x1000_i8", "models/tflm-xtensa_mobilenet_v2_quantized_1x3x224x224", "FULLY_CONNECTED", 0, false));

    /** The corpus models of the headline table (and the quick run's model subset). */
    public static final List<String> HEADLINE_MODELS = List.of(
            "mlperftiny-ad_model_ToyCar", "mlperftiny-ad_model_ToyCar_quant_fullint_micro", "mlperftiny-kws_ref_model",
            "mlperftiny-vww_96_int8", "mlperftiny-vww_96_float", "mlperftiny-ic_pretrainedResnet",
            "mlperftiny-ic_pretrainedResnet_large_int8", "tflm-person_detect", "tflm-micro_speech_quantized",
            "tflm-mnist_lstm_int8", "tflm-mnist_lstm_float", "lstm_forecaster_i8", "dense_ae_640_i8", "conv_ae_i8");

    /** The quick run's models. */
    public static final List<String> QUICK_MODELS = List.of(
            "mlperftiny-ad_model_ToyCar_quant_fullint_micro", "mlperftiny-kws_ref_model", "tflm-micro_speech_quantized",
            "lstm_forecaster_i8", "conv_ae_i8");

    /**
     * Every operator of the main subgraph of the corpus model in folder {@code caseDir} ({@code models/ID} or
     * {@code detectors/ID}), in graph order, as kernels {@code ID-nNN-op} (NN the operator's index): the per-node table
     * of {@code run.sh --nodes ID}, which shows which layers of a model lag the others against TFLM.
     */
    public static List<KernelDef> nodesOf(Path corpus, String caseDir) throws IOException {
        Path file = corpus.resolve(caseDir).resolve("model.tflite");
        String model = Path.of(caseDir).getFileName().toString();
        List<KernelDef> defs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<OperatorInfo> nodes = Model.load(file).mainSubgraph().operators();
        for (int k = 0; k < nodes.size(); k++) {
            String op = nodes.get(k).opCode().displayName();
            int occurrence = seen.merge(op, 1, Integer::sum) - 1;
            String id = String.format(Locale.ROOT, "%s-n%02d-%s", model, k, op.toLowerCase(Locale.ROOT));
            defs.add(new KernelDef(id, caseDir, op, occurrence, false));
        }
        return defs;
    }
}
