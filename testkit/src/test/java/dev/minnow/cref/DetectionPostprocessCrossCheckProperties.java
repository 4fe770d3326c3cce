package dev.minnow.cref;

import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * TFLite_Detection_PostProcess, fast and regular NMS: 1 to 40 boxes, 1 to 6 classes with or without a background
 * column, 1 to 3 classes per box, scores on a coarse grid (many ties) or continuous, box encodings from a normal
 * distribution with some boxes overlapping heavily, random thresholds: the Java engine and the C reference agree on
 * all four outputs. Scores without NaNs (the C reference ranks with plain stable sorts; TFLM's order of NaNs is
 * checked against the real TFLM in TflmComparisonTest).
 */
class DetectionPostprocessCrossCheckProperties {

    record Params(boolean regular, int boxes, int classes, boolean background, int perBox, int maxDetections,
                  boolean coarse, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(1, 6), Arbitraries.of(true, false), Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 10), Arbitraries.of(true, false), Arbitraries.longs())
                .as(Params::new);
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int n = p.boxes(), classes = p.classes(), maxDetections = p.maxDetections();
        if (p.regular() && classes >= 2) {
            // keep clear of TFLM's scratch overruns: merging needs max_detections x boxes >= max_detections + boxes
            if (n == 1) classes = 1;
            else maxDetections = Math.max(2, maxDetections);
        }
        int cwb = classes + (p.background() ? 1 : 0);
        int perBox = Math.min(p.perBox(), classes);
        int slots = p.regular() ? maxDetections : maxDetections * perBox * perBox;
        int perClass = 1 + r.nextInt(Math.max(1, n));
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("detections_per_class", (double) perClass);
        attrs.put("h_scale", (double) (1 + r.nextInt(8)));
        attrs.put("max_classes_per_detection", (double) p.perBox());
        attrs.put("max_detections", (double) maxDetections);
        attrs.put("nms_iou_threshold", (double) (0.05f + r.nextFloat() * 0.95f));
        attrs.put("nms_score_threshold", (double) (r.nextFloat() * 0.6f));
        attrs.put("num_classes", (double) classes);
        attrs.put("use_regular_nms", p.regular() ? 1.0 : 0.0);
        attrs.put("w_scale", (double) (1 + r.nextInt(8)));
        attrs.put("x_scale", (double) (1 + r.nextInt(16)));
        attrs.put("y_scale", (double) (1 + r.nextInt(16)));
        ByteBuffer boxes = le(16 * n), scores = le(4 * n * cwb), anchors = le(16 * n);
        for (int i = 0; i < n; i++) {
            boolean twin = i > 0 && r.nextInt(4) == 0;   // a near copy of the previous box: heavy overlap
            for (int k = 0; k < 4; k++) {
                float e = twin ? boxes.getFloat(16 * (i - 1) + 4 * k) + (float) r.nextGaussian() * 0.05f : (float) r.nextGaussian() * 2;
                boxes.putFloat(16 * i + 4 * k, e);
            }
            anchors.putFloat(16 * i, r.nextFloat());
            anchors.putFloat(16 * i + 4, r.nextFloat());
            anchors.putFloat(16 * i + 8, 0.05f + r.nextFloat() * 0.5f);
            anchors.putFloat(16 * i + 12, 0.05f + r.nextFloat() * 0.5f);
        }
        for (int i = 0; i < n * cwb; i++) scores.putFloat(4 * i, p.coarse() ? r.nextInt(5) / 4f : r.nextFloat());
        List<CReference.TensorSpec> ts = List.of(
                new CReference.TensorSpec("input0", DataType.FLOAT32, new int[] {1, n, 4}, null, boxes.array()),
                new CReference.TensorSpec("input1", DataType.FLOAT32, new int[] {1, n, cwb}, null, scores.array()),
                new CReference.TensorSpec("input2", DataType.FLOAT32, new int[] {n, 4}, null, anchors.array()),
                new CReference.TensorSpec("output0", DataType.FLOAT32, new int[] {1, slots, 4}, null, null),
                new CReference.TensorSpec("output1", DataType.FLOAT32, new int[] {1, slots}, null, null),
                new CReference.TensorSpec("output2", DataType.FLOAT32, new int[] {1, slots}, null, null),
                new CReference.TensorSpec("output3", DataType.FLOAT32, new int[] {1}, null, null));
        return new CReference.Case((p.regular() ? "regular" : "fast") + "_" + n, "TFLite_Detection_PostProcess", attrs, ts);
    }

    private static ByteBuffer le(int bytes) { return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN); }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void detectionPostprocess(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
