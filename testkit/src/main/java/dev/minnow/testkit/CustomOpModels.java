package dev.minnow.testkit;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.util.LittleEndian;
import dev.minnow.writer.ModelWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Models of the custom ops TFLM ships without corpus cases (CIRCULAR_BUFFER, TFLite_Detection_PostProcess,
 * SignalDelay, SignalFramer, SignalIrfft, SignalOverlapAdd, SignalStacker), built with {@link ModelWriter} to
 * compare minnow with the real TFLM ({@link TflmRecords}, suite {@value #SUITE}). Streaming ops run several frames
 * in a row with their state carried. Deterministic: the same calls build the same bytes.
 */
public final class CustomOpModels {
    /** The suite name of the recorded TFLM results. */
    public static final String SUITE = "custom-ops";

    private static final int INT = FlexBufferBuilder.INT, FLOAT = FlexBufferBuilder.FLOAT, BOOL = FlexBufferBuilder.BOOL;

    private CustomOpModels() {}

    /** Every model of the suite. */
    public static List<TflmCase> cases() {
        List<TflmCase> out = new ArrayList<>();
        out.add(circularBuffer("circular_buffer_every_invoke", 1, new int[] {1, 3, 1, 4}, 5));
        out.add(circularBuffer("circular_buffer_five_slots_default_period", 0, new int[] {1, 5, 2, 3}, 4));
        out.add(circularBuffer("circular_buffer_period_two_aborts", 2, new int[] {1, 2, 1, 8}, 1));
        out.add(detection("detection_fast", false, 1, 24, 3, 5, 100, 0.2f, 0.5f, 11, false));
        out.add(detection("detection_fast_two_classes_per_box", false, 2, 16, 4, 3, 100, 0.1f, 0.45f, 12, false));
        out.add(detection("detection_regular", true, 1, 24, 3, 6, 4, 0.25f, 0.5f, 13, false));
        out.add(detection("detection_regular_no_background", true, 1, 20, 2, 5, 3, 0.1f, 0.6f, 14, true));
        out.add(detectionTies());
        out.add(detectionInvalidBox());
        out.add(delay());
        out.add(framer("framer_prefill", true, 6, 4));
        out.add(framer("framer_no_prefill", false, 10, 4));
        out.add(stacker());
        out.add(overlapAdd("overlap_add_int16", DataType.INT16, new int[] {2, 3, 8}, 4));
        out.add(overlapAdd("overlap_add_float32", DataType.FLOAT32, new int[] {1, 2, 10}, 3));
        for (DataType t : new DataType[] {DataType.INT16, DataType.INT32, DataType.FLOAT32}) {
            for (int n : new int[] {16, 24, 40, 14}) out.add(irfft(t, n));
        }
        return out;
    }

    // ---- CIRCULAR_BUFFER ----

    /** int8 input [1, 1, h, w] into a variable output [1, slots, h, w]; {@code cycles} 0 leaves the options empty. */
    static TflmCase circularBuffer(String name, int cycles, int[] outShape, int frames) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        Quantization q = new Quantization(new float[] {0.1f}, new long[] {3}, 0);
        ModelWriter b = new ModelWriter();
        int[] inShape = {1, 1, outShape[2], outShape[3]};
        int in = b.addTensor("in", DataType.INT8, inShape, q);
        int out = b.addVariable("buffer", DataType.INT8, outShape, q);
        byte[] options = cycles == 0 ? new byte[0] : FlexBufferBuilder.ints(new String[] {"cycles_max"}, cycles);
        b.addCustomOperator("CIRCULAR_BUFFER", 1, new int[] {in}, new int[] {out}, options);
        b.setInputs(in).setOutputs(out);
        int depth = outShape[2] * outShape[3];
        return new TflmCase(name, b.build(), List.of(run(frames, bytes(r, frames * depth))));
    }

    // ---- TFLite_Detection_PostProcess ----

    /**
     * Box encodings [1, n, 4], class scores [1, n, classes (+1 background unless {@code noBackground})] as inputs,
     * anchors [n, 4] constant; outputs sized for max_detections x classes per box.
     */
    static TflmCase detection(String name, boolean regular, int classesPerBox, int n, int classes, int maxDetections,
                              int perClass, float scoreThreshold, float iouThreshold, int seed, boolean noBackground) {
        SplittableRandom r = new SplittableRandom(seed);
        int withBackground = classes + (noBackground ? 0 : 1);
        ModelWriter b = new ModelWriter();
        int boxes = b.addTensor("box_encodings", DataType.FLOAT32, new int[] {1, n, 4}, null);
        int scores = b.addTensor("class_predictions", DataType.FLOAT32, new int[] {1, n, withBackground}, null);
        int anchors = b.addConstant("anchors", DataType.FLOAT32, new int[] {n, 4}, null, anchors(r, n));
        int slots = maxDetections * classesPerBox * classesPerBox;   // room for TFLM's fast-NMS output indexing
        int ob = b.addTensor("detection_boxes", DataType.FLOAT32, new int[] {1, slots, 4}, null);
        int oc = b.addTensor("detection_classes", DataType.FLOAT32, new int[] {1, slots}, null);
        int os = b.addTensor("detection_scores", DataType.FLOAT32, new int[] {1, slots}, null);
        int on = b.addTensor("num_detections", DataType.FLOAT32, new int[] {1}, null);
        String[] keys = {"detections_per_class", "h_scale", "max_classes_per_detection", "max_detections",
                "nms_iou_threshold", "nms_score_threshold", "num_classes", "use_regular_nms", "w_scale", "x_scale", "y_scale"};
        long[] values = {perClass, f(5f), classesPerBox, maxDetections, f(iouThreshold), f(scoreThreshold), classes,
                regular ? 1 : 0, f(5f), f(10f), f(10f)};
        int[] types = {INT, FLOAT, INT, INT, FLOAT, FLOAT, INT, BOOL, FLOAT, FLOAT, FLOAT};
        b.addCustomOperator("TFLite_Detection_PostProcess", 1, new int[] {boxes, scores, anchors}, new int[] {ob, oc, os, on},
                FlexBufferBuilder.map(4, keys, values, types));
        b.setInputs(boxes, scores).setOutputs(ob, oc, os, on);
        List<TflmCase.Run> runs = new ArrayList<>();
        for (int k = 0; k < 3; k++) runs.add(run(1, boxEncodings(r, n), scores(r, n * withBackground)));
        return new TflmCase(name, b.build(), runs);
    }

    /** Fast and regular NMS over scores with many ties and a NaN, where the sorts' tie order shows. */
    static TflmCase detectionTies() {
        SplittableRandom r = new SplittableRandom(15);
        TflmCase base = detection("detection_ties", true, 1, 30, 3, 8, 5, 0.0f, 0.3f, 15, false);
        List<TflmCase.Run> runs = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            byte[] s = new byte[4 * 30 * 4];
            for (int i = 0; i < 30 * 4; i++) {
                float v = (r.nextInt(4)) / 4f;                          // four distinct values only
                if (k == 2 && i == 17) v = Float.NaN;
                LittleEndian.putFloat(s, 4 * i, v);
            }
            runs.add(run(1, boxEncodings(r, 30), s));
        }
        return new TflmCase(base.name(), base.model(), runs);
    }

    /** An anchor of negative height decodes to ymin > ymax: TFLM fails the invoke. */
    static TflmCase detectionInvalidBox() {
        SplittableRandom r = new SplittableRandom(16);
        int n = 4;
        ModelWriter b = new ModelWriter();
        int boxes = b.addTensor("box_encodings", DataType.FLOAT32, new int[] {1, n, 4}, null);
        int scores = b.addTensor("class_predictions", DataType.FLOAT32, new int[] {1, n, 3}, null);
        byte[] a = anchors(r, n);
        LittleEndian.putFloat(a, 4 * 2, -0.3f);   // anchor 0's height
        int anchors = b.addConstant("anchors", DataType.FLOAT32, new int[] {n, 4}, null, a);
        int ob = b.addTensor("detection_boxes", DataType.FLOAT32, new int[] {1, 3, 4}, null);
        int oc = b.addTensor("detection_classes", DataType.FLOAT32, new int[] {1, 3}, null);
        int os = b.addTensor("detection_scores", DataType.FLOAT32, new int[] {1, 3}, null);
        int on = b.addTensor("num_detections", DataType.FLOAT32, new int[] {1}, null);
        String[] keys = {"max_classes_per_detection", "max_detections", "nms_iou_threshold", "nms_score_threshold", "num_classes",
                "y_scale", "x_scale", "h_scale", "w_scale"};
        long[] values = {1, 3, f(0.5f), f(0.1f), 2, f(10f), f(10f), f(5f), f(5f)};
        int[] types = {INT, INT, FLOAT, FLOAT, INT, FLOAT, FLOAT, FLOAT, FLOAT};
        // keys sorted bytewise
        String[] sorted = {"h_scale", "max_classes_per_detection", "max_detections", "nms_iou_threshold", "nms_score_threshold",
                "num_classes", "w_scale", "x_scale", "y_scale"};
        long[] sv = new long[sorted.length];
        int[] st = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            int k = java.util.Arrays.asList(keys).indexOf(sorted[i]);
            sv[i] = values[k];
            st[i] = types[k];
        }
        b.addCustomOperator("TFLite_Detection_PostProcess", 1, new int[] {boxes, scores, anchors}, new int[] {ob, oc, os, on},
                FlexBufferBuilder.map(4, sorted, sv, st));
        b.setInputs(boxes, scores).setOutputs(ob, oc, os, on);
        return new TflmCase("detection_invalid_box", b.build(), List.of(run(1, boxEncodings(r, n), scores(r, 3 * n))));
    }

    private static byte[] anchors(SplittableRandom r, int n) {
        byte[] a = new byte[16 * n];
        for (int i = 0; i < n; i++) {
            LittleEndian.putFloat(a, 16 * i, (float) r.nextDouble());              // y center
            LittleEndian.putFloat(a, 16 * i + 4, (float) r.nextDouble());          // x center
            LittleEndian.putFloat(a, 16 * i + 8, 0.1f + (float) r.nextDouble() * 0.4f);   // h
            LittleEndian.putFloat(a, 16 * i + 12, 0.1f + (float) r.nextDouble() * 0.4f);  // w
        }
        return a;
    }

    private static byte[] boxEncodings(SplittableRandom r, int n) {
        byte[] e = new byte[16 * n];
        for (int i = 0; i < 4 * n; i++) LittleEndian.putFloat(e, 4 * i, (float) (r.nextGaussian() * 2));
        return e;
    }

    private static byte[] scores(SplittableRandom r, int count) {
        byte[] s = new byte[4 * count];
        for (int i = 0; i < count; i++) LittleEndian.putFloat(s, 4 * i, (float) r.nextDouble());
        return s;
    }

    // ---- Signal library ----

    /** SignalDelay on two rows of 8 samples, delayed by 5; three frames. */
    static TflmCase delay() {
        SplittableRandom r = new SplittableRandom(21);
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {2, 8}, null);
        int out = b.addTensor("out", DataType.INT16, new int[] {2, 8}, null);
        b.addCustomOperator("SignalDelay", 1, new int[] {in}, new int[] {out}, FlexBufferBuilder.ints(new String[] {"delay_length"}, 5));
        b.setInputs(in).setOutputs(out);
        return new TflmCase("signal_delay", b.build(), List.of(run(3, shorts(r, 3 * 16))));
    }

    /** SignalFramer: rows of 8 samples, frames of {@code size} every 4. */
    static TflmCase framer(String name, boolean prefill, int size, int step) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int inner = 8;
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {1, inner}, null);
        int out = b.addTensor("frames", DataType.INT16, new int[] {1, inner / step, size}, null);
        int valid = b.addTensor("valid", DataType.BOOL, new int[] {}, null);
        b.addCustomOperator("SignalFramer", 1, new int[] {in}, new int[] {out, valid},
                FlexBufferBuilder.map(4, new String[] {"frame_size", "frame_step", "prefill"}, new long[] {size, step, prefill ? 1 : 0},
                        new int[] {INT, INT, BOOL}));
        b.setInputs(in).setOutputs(out, valid);
        return new TflmCase(name, b.build(), List.of(run(4, shorts(r, 4 * inner))));
    }

    /** SignalStacker: 4 channels, left context 2, right 1, step 1; five frames. */
    static TflmCase stacker() {
        SplittableRandom r = new SplittableRandom(22);
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {4}, null);
        int out = b.addTensor("stacked", DataType.INT16, new int[] {16}, null);
        int valid = b.addTensor("valid", DataType.BOOL, new int[] {}, null);
        b.addCustomOperator("SignalStacker", 1, new int[] {in}, new int[] {out, valid},
                FlexBufferBuilder.ints(new String[] {"num_channels", "stacker_left_context", "stacker_right_context", "stacker_step"},
                        4, 2, 1, 1));
        b.setInputs(in).setOutputs(out, valid);
        return new TflmCase("signal_stacker", b.build(), List.of(run(5, shorts(r, 20))));
    }

    /** SignalOverlapAdd of [rows, frames, size] into [rows, frames * step]; three frames. */
    static TflmCase overlapAdd(String name, DataType type, int[] inShape, int step) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", type, inShape, null);
        int out = b.addTensor("out", type, new int[] {inShape[0], inShape[1] * step}, null);
        b.addCustomOperator("SignalOverlapAdd", 1, new int[] {in}, new int[] {out},
                FlexBufferBuilder.ints(new String[] {"T", "frame_step"}, type.code(), step));
        b.setInputs(in).setOutputs(out);
        int n = inShape[0] * inShape[1] * inShape[2];
        byte[] data = type == DataType.INT16 ? shorts(r, 3 * n) : floats(r, 3 * n);
        return new TflmCase(name, b.build(), List.of(run(3, data)));
    }

    /** SignalIrfft of two rows of fft_length / 2 + 1 complex values into two rows of fft_length samples. */
    static TflmCase irfft(DataType type, int fftLength) {
        String name = "signal_irfft_" + type.lowerName() + "_" + fftLength;
        SplittableRandom r = new SplittableRandom(name.hashCode());
        int bins = fftLength / 2 + 1;
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("spectrum", type, new int[] {2, 2 * bins}, null);
        int out = b.addTensor("signal", type, new int[] {2, fftLength}, null);
        b.addCustomOperator("SignalIrfft", 1, new int[] {in}, new int[] {out},
                FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, type.code(), fftLength));
        b.setInputs(in).setOutputs(out);
        int n = 4 * bins;
        List<TflmCase.Run> runs = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            byte[] data = switch (type) {
                case INT16 -> shorts(r, n);
                case INT32 -> ints(r, n);
                default -> floats(r, n);
            };
            runs.add(run(1, data));
        }
        return new TflmCase(name, b.build(), runs);
    }

    // ---- pieces ----

    private static long f(float v) { return Float.floatToRawIntBits(v) & 0xFFFFFFFFL; }

    private static TflmCase.Run run(int frames, byte[]... inputs) { return new TflmCase.Run(frames, List.of(inputs)); }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    private static byte[] shorts(SplittableRandom r, int n) {
        byte[] b = new byte[2 * n];
        for (int i = 0; i < n; i++) LittleEndian.putShort(b, 2 * i, (short) r.nextInt(65536));
        return b;
    }

    private static byte[] ints(SplittableRandom r, int n) {
        byte[] b = new byte[4 * n];
        for (int i = 0; i < n; i++) LittleEndian.putInt(b, 4 * i, r.nextInt());
        return b;
    }

    private static byte[] floats(SplittableRandom r, int n) {
        byte[] b = new byte[4 * n];
        for (int i = 0; i < n; i++) LittleEndian.putFloat(b, 4 * i, (float) (r.nextDouble() * 200 - 100));
        return b;
    }
}
