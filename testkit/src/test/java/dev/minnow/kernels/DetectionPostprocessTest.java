package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.KernelException;
import dev.minnow.testkit.FlexBufferBuilder;
import dev.minnow.util.LittleEndian;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLite_Detection_PostProcess on three boxes worked out by hand: zero encodings with unit scales decode to the
 * anchors' corners (box 0 [0, 0, 1, 1], box 1 [0.25, 0, 1.25, 1] overlapping it with IoU 0.6, box 2 [2.5, 2.5, 3.5,
 * 3.5] apart), two classes behind a background column, score threshold 0.2, IoU threshold 0.5. Plus TFLM's
 * rejections and the invoke-time failure on a box whose corners come out inverted.
 */
class DetectionPostprocessTest {
    private static final int INT = FlexBufferBuilder.INT, FLOAT = FlexBufferBuilder.FLOAT, BOOL = FlexBufferBuilder.BOOL;
    private static final float[] ANCHORS = {0.5f, 0.5f, 1, 1, 0.75f, 0.5f, 1, 1, 3, 3, 1, 1};
    private static final float[] SCORES = {0, 0.9f, 0.1f, 0, 0.8f, 0.7f, 0, 0.3f, 0.6f};

    private static Interpreter model(boolean regular, int boxes, int withBackground, float[] anchors, int maxDetections,
                                     int classes, float iou, int batch) {
        ModelWriter b = new ModelWriter();
        int enc = b.addTensor("box_encodings", DataType.FLOAT32, new int[] {batch, boxes, 4}, null);
        int sc = b.addTensor("class_predictions", DataType.FLOAT32, new int[] {1, boxes, withBackground}, null);
        byte[] a = new byte[4 * anchors.length];
        for (int i = 0; i < anchors.length; i++) LittleEndian.putFloat(a, 4 * i, anchors[i]);
        int anc = b.addConstant("anchors", DataType.FLOAT32, new int[] {boxes, 4}, null, a);
        int ob = b.addTensor("boxes", DataType.FLOAT32, new int[] {1, maxDetections, 4}, null);
        int oc = b.addTensor("classes", DataType.FLOAT32, new int[] {1, maxDetections}, null);
        int os = b.addTensor("scores", DataType.FLOAT32, new int[] {1, maxDetections}, null);
        int on = b.addTensor("count", DataType.FLOAT32, new int[] {1}, null);
        String[] keys = {"detections_per_class", "h_scale", "max_classes_per_detection", "max_detections", "nms_iou_threshold",
                "nms_score_threshold", "num_classes", "use_regular_nms", "w_scale", "x_scale", "y_scale"};
        long[] values = {3, f(1), 1, maxDetections, f(iou), f(0.2f), classes, regular ? 1 : 0, f(1), f(1), f(1)};
        int[] types = {INT, FLOAT, INT, INT, FLOAT, FLOAT, INT, BOOL, FLOAT, FLOAT, FLOAT};
        b.addCustomOperator("TFLite_Detection_PostProcess", 1, new int[] {enc, sc, anc}, new int[] {ob, oc, os, on},
                FlexBufferBuilder.map(4, keys, values, types));
        b.setInputs(enc, sc).setOutputs(ob, oc, os, on);
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        return it;
    }

    private static long f(float v) { return Float.floatToRawIntBits(v) & 0xFFFFFFFFL; }

    private static float[][] run(Interpreter it, float[] scores) {
        float[] boxes = new float[it.getOutputTensor(0).numElements()], classes = new float[it.getOutputTensor(1).numElements()];
        float[] sc = new float[it.getOutputTensor(2).numElements()], count = new float[1];
        it.runForMultipleInputsOutputs(new Object[] {new float[it.getInputTensor(0).numElements()], scores},
                Map.of(0, boxes, 1, classes, 2, sc, 3, count));
        return new float[][] {boxes, classes, sc, count};
    }

    @Test
    void fastNmsKeepsEachBoxsBestClassAndSuppressesTheOverlap() {
        float[][] r = run(model(false, 3, 3, ANCHORS, 3, 2, 0.5f, 1), SCORES);
        // best classes: box 0 class 0 (0.9), box 1 class 0 (0.8, suppressed by box 0), box 2 class 1 (0.6)
        assertArrayEquals(new float[] {0, 0, 1, 1, 2.5f, 2.5f, 3.5f, 3.5f, 0, 0, 0, 0}, r[0]);
        assertArrayEquals(new float[] {0, 1, 0}, r[1]);
        assertArrayEquals(new float[] {0.9f, 0.6f, 0}, r[2]);
        assertArrayEquals(new float[] {2}, r[3]);
    }

    @Test
    void regularNmsSuppressesPerClassThenMergesByScore() {
        float[][] r = run(model(true, 3, 3, ANCHORS, 3, 2, 0.5f, 1), SCORES);
        // class 0: box 0 (0.9) suppresses box 1, box 2 (0.3) stays; class 1: box 1 (0.7), box 2 (0.6); box 0's 0.1 is
        // under the threshold. Merged, best three: (box 0, c0, 0.9), (box 1, c1, 0.7), (box 2, c1, 0.6).
        assertArrayEquals(new float[] {0, 0, 1, 1, 0.25f, 0, 1.25f, 1, 2.5f, 2.5f, 3.5f, 3.5f}, r[0]);
        assertArrayEquals(new float[] {0, 1, 1}, r[1]);
        assertArrayEquals(new float[] {0.9f, 0.7f, 0.6f}, r[2]);
        assertArrayEquals(new float[] {3}, r[3]);
        // an IoU threshold above box 1's 0.6 keeps it in class 0: (0.9, c0), (0.8, c0), (0.7, c1)
        float[][] loose = run(model(true, 3, 3, ANCHORS, 3, 2, 0.65f, 1), SCORES);
        assertArrayEquals(new float[] {0, 0, 1}, loose[1]);
        assertArrayEquals(new float[] {0.9f, 0.8f, 0.7f}, loose[2]);
    }

    @Test
    void anInvertedBoxFailsTheInvoke() {
        float[] anchors = ANCHORS.clone();
        anchors[2] = -1;   // box 0's height
        Interpreter it = model(false, 3, 3, anchors, 3, 2, 0.5f, 1);
        KernelException e = assertThrows(KernelException.class, () -> run(it, SCORES));
        assertTrue(e.getMessage().contains("decoded box 0"), e.getMessage());
    }

    @Test
    void shapesAndOptionsTflmRejects() {
        MinnowException e = assertThrows(MinnowException.class, () -> model(false, 3, 3, ANCHORS, 3, 2, 0.5f, 2));
        assertTrue(e.getMessage().contains("batch 2"), e.getMessage());
        e = assertThrows(MinnowException.class, () -> model(false, 3, 3, ANCHORS, 3, 2, 0f, 1));
        assertTrue(e.getMessage().contains("nms_iou_threshold"), e.getMessage());
        e = assertThrows(MinnowException.class, () -> model(false, 3, 3, ANCHORS, 3, 5, 0.5f, 1));
        assertTrue(e.getMessage().contains("num_classes 5"), e.getMessage());
    }

    @Test
    void aRegularMergeThatWouldOverrunTflmsScratchFailsInsteadOfCorruptingMemory() {
        // one box, two classes, max_detections 1: TFLM sizes its merge buffers max_detections x boxes = 1 entry,
        // and the second class's selection writes a second one.
        Interpreter it = model(true, 1, 3, new float[] {0.5f, 0.5f, 1, 1}, 1, 2, 0.5f, 1);
        KernelException e = assertThrows(KernelException.class, () -> run(it, new float[] {0, 0.9f, 0.8f}));
        assertTrue(e.getMessage().contains("overrun"), e.getMessage());
    }
}
