package dev.minnow.testkit;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.writer.ModelWriter;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java side of C-reference cases of TFLM's custom ops (c-reference/src/streaming.c, detection.c, irfft.c,
 * decode.c, whose encoded and ancillary inputs are constants as TFLM requires): a
 * model with the one custom operator, its custom options written as the FlexBuffers map TFLM reads (from the case's
 * attributes), run like the C reference runs it. The streaming ops (CIRCULAR_BUFFER, SignalDelay, SignalFramer,
 * SignalStacker, SignalOverlapAdd) run F invokes in a row: every tensor of the case holds the F frames along an extra
 * first dimension, and each output's bytes are all its frames in order.
 */
public final class CustomOpCases {
    /** The ops this class runs, by the C reference's op names (the custom codes). */
    public static final Set<String> OPS = Set.of("CIRCULAR_BUFFER", "SignalDelay", "SignalFramer", "SignalStacker",
            "SignalOverlapAdd", "SignalIrfft", "TFLite_Detection_PostProcess", "TFLM_DECODE");

    private static final Set<String> STREAMING = Set.of("CIRCULAR_BUFFER", "SignalDelay", "SignalFramer", "SignalStacker",
            "SignalOverlapAdd");

    private static final int INT = FlexBufferBuilder.INT, FLOAT = FlexBufferBuilder.FLOAT, BOOL = FlexBufferBuilder.BOOL;

    private CustomOpCases() {}

    public static boolean handles(String op) { return OPS.contains(op); }

    /** Runs the case on the Java engine: all outputs' bytes, concatenated. */
    public static byte[] runJava(CReference.Case c) {
        boolean streaming = STREAMING.contains(c.op());
        ModelWriter b = new ModelWriter();
        List<Integer> in = new ArrayList<>(), out = new ArrayList<>(), runtime = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        int frames = 1;
        for (CReference.TensorSpec t : c.tensors()) {
            int[] shape = t.shape();
            if (streaming) {
                frames = shape[0];
                shape = Arrays.copyOfRange(shape, 1, shape.length);
            }
            if (t.name().matches("output\\d*")) {
                boolean variable = c.op().equals("CIRCULAR_BUFFER");
                out.add(variable ? b.addVariable(t.name(), t.type(), shape, t.quantization())
                        : b.addTensor(t.name(), t.type(), shape, t.quantization()));
            } else if ((c.op().equals("TFLite_Detection_PostProcess") && t.name().equals("input2")) || c.op().equals("TFLM_DECODE")) {
                in.add(b.addConstant(t.name(), t.type(), shape, t.quantization(), t.data()));
            } else {
                int index = b.addTensor(t.name(), t.type(), shape, t.quantization());
                in.add(index);
                runtime.add(index);
                data.add(t.data());
            }
        }
        b.addCustomOperator(c.op(), 1, ints(in), ints(out), options(c));
        b.setInputs(ints(runtime)).setOutputs(ints(out));
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        ByteArrayOutputStream[] collected = new ByteArrayOutputStream[out.size()];
        for (int k = 0; k < collected.length; k++) collected[k] = new ByteArrayOutputStream();
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k < data.size(); k++) {
                Tensor t = it.getInputTensor(k);
                t.copyFrom(Arrays.copyOfRange(data.get(k), f * t.numBytes(), (f + 1) * t.numBytes()));
            }
            it.invoke();
            for (int k = 0; k < collected.length; k++) collected[k].writeBytes(it.getOutputTensor(k).toByteArray());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteArrayOutputStream o : collected) all.writeBytes(o.toByteArray());
        return all.toByteArray();
    }

    /** The custom options TFLM reads, from the case's attributes (keys sorted bytewise, as FlexBuffers maps are). */
    static byte[] options(CReference.Case c) {
        Map<String, Double> a = c.attrs();
        DataType type = c.tensors().get(0).type();
        return switch (c.op()) {
            case "CIRCULAR_BUFFER" -> a.containsKey("cycles_max")
                    ? FlexBufferBuilder.ints(new String[] {"cycles_max"}, a.get("cycles_max").longValue()) : new byte[0];
            case "SignalDelay" -> FlexBufferBuilder.ints(new String[] {"delay_length"}, a.get("delay_length").longValue());
            case "SignalFramer" -> FlexBufferBuilder.map(4, new String[] {"frame_size", "frame_step", "prefill"},
                    new long[] {a.get("frame_size").longValue(), a.get("frame_step").longValue(), a.get("prefill").longValue()},
                    new int[] {INT, INT, BOOL});
            case "SignalStacker" -> FlexBufferBuilder.ints(new String[] {"num_channels", "stacker_left_context",
                    "stacker_right_context", "stacker_step"}, a.get("num_channels").longValue(), a.get("stacker_left_context").longValue(),
                    a.get("stacker_right_context").longValue(), a.get("stacker_step").longValue());
            case "SignalOverlapAdd" -> FlexBufferBuilder.ints(new String[] {"T", "frame_step"}, type.code(), a.get("frame_step").longValue());
            case "SignalIrfft" -> FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, type.code(), a.get("fft_length").longValue());
            case "TFLite_Detection_PostProcess" -> {
                String[] keys = {"detections_per_class", "h_scale", "max_classes_per_detection", "max_detections",
                        "nms_iou_threshold", "nms_score_threshold", "num_classes", "use_regular_nms", "w_scale", "x_scale", "y_scale"};
                int[] types = {INT, FLOAT, INT, INT, FLOAT, FLOAT, INT, BOOL, FLOAT, FLOAT, FLOAT};
                long[] values = new long[keys.length];
                for (int i = 0; i < keys.length; i++) {
                    double v = a.get(keys[i]);
                    values[i] = types[i] == FLOAT ? Float.floatToRawIntBits((float) v) & 0xFFFFFFFFL : (long) v;
                }
                yield FlexBufferBuilder.map(4, keys, values, types);
            }
            case "TFLM_DECODE" -> new byte[0];   // no options: the ancillary tensor's header configures it
            default -> throw new IllegalArgumentException("not a custom op case: " + c.op());
        };
    }

    private static int[] ints(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }
}
