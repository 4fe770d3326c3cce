package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferException;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * TFLite_Detection_PostProcess (TFLM's kernels/detection_postprocess.cc), the SSD box decoder and non-max
 * suppression, float32 only. Inputs: box encodings [1, boxes, >= 4] (y, x, h, w per box), class scores [1, boxes,
 * classes (+1 background)], anchors [boxes, 4] (y, x, h, w). Each box is decoded against its anchor in double
 * ({@code exp} for the sizes) and rounded to float corners. Then either the fast NMS (each box ranked by its best
 * class, one suppression pass, up to {@code max_classes_per_detection} classes per kept box) or the regular one
 * (suppression per class, {@code detections_per_class} each, merged by score), with TFLM's sorts reproduced to the
 * order of ties (its merge sort, and libstdc++'s heap-based {@code std::partial_sort}). Outputs (float32): boxes
 * (ymin, xmin, ymax, xmax), classes, scores, and the number of detections.
 *
 * <p>Custom options, read by name as flexbuffers converts them: max_detections, max_classes_per_detection,
 * detections_per_class (default 100), use_regular_nms (default false), nms_score_threshold, nms_iou_threshold,
 * num_classes, y_scale, x_scale, h_scale, w_scale. TFLM's Eval checks that depend only on shapes and options are made
 * in prepare; boxes with ymin >= ymax or xmin >= xmax fail the invoke, as in TFLM. Where TFLM would write past its
 * scratch buffers or outputs (undefined behaviour there) the invoke fails instead.
 */
public final class DetectionPostprocess implements OpKernel {
    /** Scratch request sizes in TFLM's Prepare order (bytes). */
    static int[] scratchBytes(int boxes, int classRows, int classCols, int maxDetections, int numClasses) {
        long[] s = {boxes, 16L * boxes, 4L * classRows * classCols, 4L * boxes, 4L * boxes, 4L * maxDetections * boxes,
                4L * maxDetections * boxes, 4L * boxes, 4L * maxDetections * boxes,
                4L * Math.max(numClasses, maxDetections) * boxes, 4L * Math.min(boxes, maxDetections) * boxes};
        int[] out = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0 || s[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("scratch request of " + s[i] + " bytes");
            out[i] = (int) s[i];
        }
        return out;
    }

    /** OpData (112 bytes on both targets) from Init; the three inputs fetched in Prepare; eleven scratch requests. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        Options o = Options.read(op.customOptions());
        TensorInfo box = g.tensor(op.input(0)), cls = g.tensor(op.input(1));
        int[] scratch = scratchBytes(box.dim(1), cls.dim(1), cls.dim(2), o.maxDetections, o.numClasses);
        return new NodeFootprint(0, 4, new int[] {112}, new int[0], scratch, Footprints.ALL_TENSORS.of(op, g));
    }

    /** The custom options as TFLM's Init reads them. */
    record Options(int maxDetections, int maxClassesPerDetection, int detectionsPerClass, boolean regular,
                   float scoreThreshold, float iouThreshold, int numClasses, float yScale, float xScale, float hScale,
                   float wScale) {
        static Options read(byte[] raw) {
            FlexBufferMap m = FlexBufferMap.parse(raw);
            return new Options(m.asInt32("max_detections"), m.asInt32("max_classes_per_detection"),
                    m.isNull("detections_per_class") ? 100 : m.asInt32("detections_per_class"),
                    !m.isNull("use_regular_nms") && m.asBool("use_regular_nms"),
                    m.asFloat("nms_score_threshold"), m.asFloat("nms_iou_threshold"), m.asInt32("num_classes"),
                    m.asFloat("y_scale"), m.asFloat("x_scale"), m.asFloat("h_scale"), m.asFloat("w_scale"));
        }
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        Options o;
        try {
            o = Options.read(node.customOptions());
        } catch (FlexBufferException e) {
            throw node.fail("custom options: %s", e.getMessage());
        }
        node.require(node.inputCount() == 3, "has %d inputs, expected 3", node.inputCount());
        Tensor boxes = KernelUtil.requiredInput(node, 0), scores = KernelUtil.requiredInput(node, 1), anchors = KernelUtil.requiredInput(node, 2);
        node.require(boxes.rank() == 3, "box encodings %s must have rank 3", boxes.describe());
        node.require(scores.rank() == 3, "class predictions %s must have rank 3", scores.describe());
        node.require(anchors.rank() == 2, "anchors %s must have rank 2", anchors.describe());
        node.require(node.outputCount() == 4, "has %d outputs, expected 4", node.outputCount());
        int n = boxes.dim(1);
        // TFLM's Eval checks, all fixed by shapes and options.
        node.require(boxes.dim(0) == 1, "box encodings batch %d, only 1 is supported", boxes.dim(0));
        node.require(boxes.dim(2) >= 4, "box encodings have %d values per box, need at least 4", boxes.dim(2));
        node.require(boxes.dataType() == DataType.FLOAT32, "box encodings are %s; only float32 is supported", boxes.dataType().lowerName());
        node.require(scores.dataType() == DataType.FLOAT32, "class predictions are %s; only float32 is supported", scores.dataType().lowerName());
        node.require(scores.dim(0) == 1, "class predictions batch %d, only 1 is supported", scores.dim(0));
        node.require(scores.dim(1) == n, "class predictions for %d boxes, box encodings for %d", scores.dim(1), n);
        int withBackground = scores.dim(2);
        node.require(withBackground - o.numClasses <= 1 && withBackground >= o.numClasses,
                "class predictions have %d classes for num_classes %d (one background class at most)", withBackground, o.numClasses);
        node.require(o.iouThreshold > 0f && o.iouThreshold <= 1f, "nms_iou_threshold %s must be in (0, 1]", o.iouThreshold);
        node.require(o.numClasses > 0, "num_classes %d must be positive", o.numClasses);
        // TFLM sizes scratch buffers by max_detections x boxes: zero or negative would leave them too small to use.
        node.require(o.maxDetections > 0, "max_detections %d must be positive", o.maxDetections);
        if (o.regular) node.require(o.detectionsPerClass > 0, "detections_per_class %d must be positive", o.detectionsPerClass);
        else node.require(o.maxClassesPerDetection > 0, "max_classes_per_detection %d must be positive", o.maxClassesPerDetection);
        // TFLM reinterprets the anchors as float quadruples without checking them.
        node.require(anchors.dataType() == DataType.FLOAT32, "anchors are %s; TFLM reads them as float32", anchors.dataType().lowerName());
        node.require((long) anchors.numElements() >= 4L * n, "anchors %s hold fewer than %d boxes", anchors.describe(), n);
        Tensor[] out = new Tensor[4];
        for (int i = 0; i < 4; i++) {
            out[i] = node.output(i);
            node.require(out[i].dataType() == DataType.FLOAT32, "output %d %s must be float32", i, out[i].describe());
        }
        node.require(out[3].numElements() >= 1, "num_detections %s is empty", out[3].describe());
        if (o.regular) {
            node.require((long) out[0].numElements() >= 4L * o.maxDetections && out[1].numElements() >= o.maxDetections
                    && out[2].numElements() >= o.maxDetections, "outputs hold fewer than max_detections %d boxes", o.maxDetections);
        }
        for (int k = 0; k < 11; k++) node.scratch(k);   // TFLM's requests; the Java work areas below replace them
        long merged = Math.min(Integer.MAX_VALUE - 8, (long) o.maxDetections + n);
        KernelUtil.reserveHeap(node, 4L * (10L * n + 4 * merged + (long) n * withBackground + (o.regular ? 0 : (long) n * o.numClasses)),
                "the detection post-process's working arrays");
        return new Run(o, boxes, scores, anchors, out, n, withBackground);
    }

    /** One node's evaluation, with every work area allocated once. */
    private static final class Run implements PreparedOp {
        private final Options o;
        private final Tensor boxes, scores, anchors;
        private final Tensor outBoxes, outClasses, outScores, outCount;
        private final int n, withBackground, labelOffset;
        private final float[] decoded, classScores, keepScores, scoresAfter, sortedValues, maxScores, scoreData;
        private final int[] keepIndices, sortedIndices, boxIndices, selected, sortScratch, classIndices;
        private final byte[] active;
        // TFLM's capacities (elements) of the scratch buffers its regular NMS may overrun
        private final long capSorted, capBuffer;

        Run(Options o, Tensor boxes, Tensor scores, Tensor anchors, Tensor[] out, int n, int withBackground) {
            this.o = o;
            this.boxes = boxes;
            this.scores = scores;
            this.anchors = anchors;
            this.outBoxes = out[0];
            this.outClasses = out[1];
            this.outScores = out[2];
            this.outCount = out[3];
            this.n = n;
            this.withBackground = withBackground;
            this.labelOffset = withBackground - o.numClasses;
            int md = o.maxDetections;
            this.capSorted = (long) md * n;
            this.capBuffer = (long) Math.max(o.numClasses, md) * n;
            int merged = (int) Math.min(Integer.MAX_VALUE - 8, (long) md + n);   // max_detections kept plus one class's boxes
            this.decoded = new float[4 * n];
            this.classScores = new float[n];
            this.keepScores = new float[n];
            this.scoresAfter = new float[Math.max(merged, 1)];
            this.sortedValues = new float[Math.max(merged, 1)];
            this.maxScores = new float[n];
            this.scoreData = new float[n * withBackground];
            this.keepIndices = new int[n];
            this.sortedIndices = new int[Math.max(Math.max(merged, n), 1)];
            this.boxIndices = new int[Math.max(merged, 1)];
            this.selected = new int[Math.max(n, 1)];
            this.sortScratch = new int[Math.max(n, 1)];
            this.classIndices = o.regular ? new int[0] : new int[n * o.numClasses];
            this.active = new byte[n];
        }

        @Override public void eval() {
            decode();
            float[] s = scoreData;
            byte[] sa = scores.array();
            int so = scores.offset();
            for (int i = 0; i < s.length; i++) s[i] = LittleEndian.getFloat(sa, so + 4 * i);
            if (o.regular) regular();
            else fast();
        }

        /** DecodeCenterSizeBoxes: center-size encodings against the anchors, in double, to float corners. */
        private void decode() {
            byte[] ba = boxes.array(), aa = anchors.array();
            int bo = boxes.offset(), ao = anchors.offset(), stride = boxes.dim(2);
            double sy = o.yScale, sx = o.xScale, sh = o.hScale, sw = o.wScale;
            for (int i = 0; i < n; i++) {
                int b = bo + 4 * i * stride, a = ao + 16 * i;
                double by = LittleEndian.getFloat(ba, b), bx = LittleEndian.getFloat(ba, b + 4);
                double bh = LittleEndian.getFloat(ba, b + 8), bw = LittleEndian.getFloat(ba, b + 12);
                double ay = LittleEndian.getFloat(aa, a), ax = LittleEndian.getFloat(aa, a + 4);
                double ah = LittleEndian.getFloat(aa, a + 8), aw = LittleEndian.getFloat(aa, a + 12);
                float yc = (float) (by / sy * ah + ay);
                float xc = (float) (bx / sx * aw + ax);
                float hh = (float) (0.5 * StrictMath.exp(bh / sh) * ah);
                float hw = (float) (0.5 * StrictMath.exp(bw / sw) * aw);
                decoded[4 * i] = yc - hh;
                decoded[4 * i + 1] = xc - hw;
                decoded[4 * i + 2] = yc + hh;
                decoded[4 * i + 3] = xc + hw;
            }
        }

        /** NonMaxSuppressionSingleClassHelper: the indices of the kept boxes, best first; returns their count. */
        private int suppress(float[] values, int maxDetections) {
            for (int i = 0; i < n; i++) {
                if (decoded[4 * i] >= decoded[4 * i + 2] || decoded[4 * i + 1] >= decoded[4 * i + 3]) {
                    throw new KernelException("TFLite_Detection_PostProcess: decoded box " + i + " has ymin >= ymax or xmin >= xmax");
                }
            }
            float threshold = o.scoreThreshold;
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (values[i] >= threshold) {
                    keepScores[kept] = values[i];
                    keepIndices[kept] = i;
                    kept++;
                }
            }
            Sorts.decreasingArgSort(keepScores, kept, sortedIndices, sortScratch);
            int outputSize = Math.min(kept, maxDetections);
            int count = 0, activeCount = kept;
            for (int i = 0; i < kept; i++) active[i] = 1;
            for (int i = 0; i < kept; i++) {
                if (activeCount == 0 || count >= outputSize) break;
                if (active[i] != 1) continue;
                selected[count++] = keepIndices[sortedIndices[i]];
                active[i] = 0;
                activeCount--;
                for (int j = i + 1; j < kept; j++) {
                    if (active[j] == 1 && iou(keepIndices[sortedIndices[i]], keepIndices[sortedIndices[j]]) > o.iouThreshold) {
                        active[j] = 0;
                        activeCount--;
                    }
                }
            }
            return count;
        }

        /** ComputeIntersectionOverUnion in float. */
        private float iou(int i, int j) {
            float[] d = decoded;
            float areaI = (d[4 * i + 2] - d[4 * i]) * (d[4 * i + 3] - d[4 * i + 1]);
            float areaJ = (d[4 * j + 2] - d[4 * j]) * (d[4 * j + 3] - d[4 * j + 1]);
            if (areaI <= 0 || areaJ <= 0) return 0f;
            float ymin = stdMax(d[4 * i], d[4 * j]), xmin = stdMax(d[4 * i + 1], d[4 * j + 1]);
            float ymax = stdMin(d[4 * i + 2], d[4 * j + 2]), xmax = stdMin(d[4 * i + 3], d[4 * j + 3]);
            float inter = stdMax(ymax - ymin, 0f) * stdMax(xmax - xmin, 0f);
            return inter / (areaI + areaJ - inter);
        }

        /** std::max: b only when a < b (so NaNs and signed zeros fall as in C++, unlike Math.max). */
        private static float stdMax(float a, float b) { return a < b ? b : a; }

        /** std::min: b only when b < a. */
        private static float stdMin(float a, float b) { return b < a ? b : a; }

        /** NonMaxSuppressionMultiClassRegularHelper. */
        private void regular() {
            int sorted = 0;
            for (int col = 0; col < o.numClasses; col++) {
                for (int row = 0; row < n; row++) classScores[row] = scoreData[row * withBackground + col + labelOffset];
                int count = suppress(classScores, o.detectionsPerClass);
                int outputIndex = sorted;
                if ((long) outputIndex + count > Math.min(capSorted, capBuffer)) {
                    throw new KernelException("TFLite_Detection_PostProcess: " + (outputIndex + count) + " candidate detections overrun"
                            + " TFLM's scratch buffers of " + Math.min(capSorted, capBuffer) + " (undefined behaviour in TFLM)");
                }
                for (int i = 0; i < count; i++) {
                    int sel = selected[i];
                    boxIndices[outputIndex] = sel * withBackground + col + labelOffset;
                    scoresAfter[outputIndex] = classScores[sel];
                    outputIndex++;
                }
                int toSort = Math.min(outputIndex, o.maxDetections);
                Sorts.decreasingPartialArgSort(scoresAfter, outputIndex, toSort, sortedIndices);
                for (int row = 0; row < toSort; row++) {
                    int t = sortedIndices[row];
                    sortedIndices[row] = boxIndices[t];
                    sortedValues[row] = scoresAfter[t];
                }
                for (int row = 0; row < toSort; row++) {
                    boxIndices[row] = sortedIndices[row];
                    scoresAfter[row] = sortedValues[row];
                }
                sorted = toSort;
            }
            for (int k = 0; k < o.maxDetections; k++) {
                if (k < sorted) {
                    int anchor = boxIndices[k] / withBackground;
                    int cls = boxIndices[k] - anchor * withBackground - labelOffset;
                    writeBox(k, anchor);
                    put(outClasses, k, cls);
                    put(outScores, k, scoresAfter[k]);
                } else {
                    for (int c = 0; c < 4; c++) put(outBoxes, 4 * k + c, 0f);
                    put(outClasses, k, 0f);
                    put(outScores, k, 0f);
                }
            }
            put(outCount, 0, sorted);
        }

        /** NonMaxSuppressionMultiClassFastHelper, with TFLM's output indexing. */
        private void fast() {
            int perAnchor = Math.min(o.maxClassesPerDetection, o.numClasses);
            for (int row = 0; row < n; row++) {
                int base = row * withBackground + labelOffset;
                Sorts.decreasingPartialArgSort(scoreData, base, o.numClasses, perAnchor, classIndices, row * o.numClasses);
                maxScores[row] = scoreData[base + classIndices[row * o.numClasses]];
            }
            int count = suppress(maxScores, o.maxDetections);
            int index = 0;
            for (int i = 0; i < count; i++) {
                int sel = selected[i];
                int base = sel * withBackground + labelOffset;
                for (int col = 0; col < perAnchor; col++) {
                    int offset = perAnchor * index + col;
                    if ((long) 4 * offset + 4 > outBoxes.numElements() || offset >= outClasses.numElements()
                            || offset >= outScores.numElements()) {
                        throw new KernelException("TFLite_Detection_PostProcess: detection " + offset
                                + " does not fit the outputs (TFLM would write past them)");
                    }
                    int cls = classIndices[sel * o.numClasses + col];
                    writeBox(offset, sel);
                    put(outClasses, offset, cls);
                    put(outScores, offset, scoreData[base + cls]);
                    index++;
                }
            }
            put(outCount, 0, index);
        }

        private void writeBox(int k, int box) {
            for (int c = 0; c < 4; c++) put(outBoxes, 4 * k + c, decoded[4 * box + c]);
        }

        private static void put(Tensor t, int i, float v) { LittleEndian.putFloat(t.array(), t.offset() + 4 * i, v); }
    }

    /** TFLM's sorts of detection indices, reproduced to the order of equal and NaN scores. */
    static final class Sorts {
        private Sorts() {}

        /**
         * DecreasingArgSort: indices 0..n-1 by decreasing value, TFLM's merge sort (insertion sort below 20 elements,
         * halves merged through {@code scratch}); equal values keep their order.
         */
        static void decreasingArgSort(float[] values, int n, int[] indices, int[] scratch) {
            for (int i = 0; i < n; i++) indices[i] = i;
            mergeSort(values, indices, 0, scratch, n);
        }

        private static boolean greater(float[] v, int i, int j) { return v[i] > v[j]; }

        private static void mergeSort(float[] v, int[] a, int from, int[] scratch, int n) {
            if (n < 20) {
                insertionSort(v, a, from, from + n);
                return;
            }
            int half = n / 2;
            mergeSort(v, a, from, scratch, half);
            mergeSort(v, a, from + half, scratch, n - half);
            int left = 0, right = half;
            for (int i = 0; i < n; i++) {
                if (left >= half || (right < n && greater(v, a[from + right], a[from + left]))) scratch[i] = a[from + right++];
                else scratch[i] = a[from + left++];
            }
            System.arraycopy(scratch, 0, a, from, n);
        }

        /** Insertion by std::upper_bound (binary search) and std::rotate. */
        private static void insertionSort(float[] v, int[] a, int start, int end) {
            for (int i = start; i != end; i++) {
                int x = a[i];
                int first = start, len = i - start;
                while (len > 0) {
                    int half = len >> 1, middle = first + half;
                    if (greater(v, x, a[middle])) len = half;
                    else {
                        first = middle + 1;
                        len = len - half - 1;
                    }
                }
                System.arraycopy(a, first, a, first + 1, i - first);
                a[first] = x;
            }
        }

        /** DecreasingPartialArgSort of values[0..n) into indices[0..n). */
        static void decreasingPartialArgSort(float[] values, int n, int k, int[] indices) {
            decreasingPartialArgSort(values, 0, n, k, indices, 0);
        }

        /**
         * DecreasingPartialArgSort over {@code values[base .. base + n)}: indices 0..n-1 into {@code out[at..]}, the
         * first k of them ordered by (value decreasing, index increasing), by libstdc++'s std::partial_sort (heap
         * select, then heap sort) so that NaN scores land where TFLM puts them.
         */
        static void decreasingPartialArgSort(float[] values, int base, int n, int k, int[] out, int at) {
            for (int i = 0; i < n; i++) out[at + i] = i;
            // heap select over [at, at + k)
            makeHeap(values, base, out, at, k);
            for (int i = k; i < n; i++) {
                if (before(values, base, out[at + i], out[at])) {
                    int value = out[at + i];
                    out[at + i] = out[at];
                    adjustHeap(values, base, out, at, 0, k, value);
                }
            }
            // sort heap
            for (int last = k; last > 1; ) {
                last--;
                int value = out[at + last];
                out[at + last] = out[at];
                adjustHeap(values, base, out, at, 0, last, value);
            }
        }

        /** The comparator: std::tie(values[i], j) > std::tie(values[j], i). */
        private static boolean before(float[] v, int base, int i, int j) {
            float a = v[base + i], b = v[base + j];
            if (b < a) return true;
            if (a < b) return false;
            return i < j;
        }

        private static void makeHeap(float[] v, int base, int[] h, int at, int len) {
            if (len < 2) return;
            for (int parent = (len - 2) / 2; ; parent--) {
                adjustHeap(v, base, h, at, parent, len, h[at + parent]);
                if (parent == 0) return;
            }
        }

        private static void adjustHeap(float[] v, int base, int[] h, int at, int hole, int len, int value) {
            int top = hole, child = hole;
            while (child < (len - 1) / 2) {
                child = 2 * (child + 1);
                if (before(v, base, h[at + child], h[at + child - 1])) child--;
                h[at + hole] = h[at + child];
                hole = child;
            }
            if ((len & 1) == 0 && child == (len - 2) / 2) {
                child = 2 * (child + 1);
                h[at + hole] = h[at + child - 1];
                hole = child - 1;
            }
            // push heap
            int parent = (hole - 1) / 2;
            while (hole > top && before(v, base, h[at + parent], value)) {
                h[at + hole] = h[at + parent];
                hole = parent;
                parent = (hole - 1) / 2;
            }
            h[at + hole] = value;
        }
    }
}
