/* TFLite_Detection_PostProcess (float32): box decoding against anchors in double, then the fast non-max
 * suppression (each box ranked by its best class) or the regular one (per class, merged by score). Ranking is
 * written here as plain stable sorts by decreasing score (ties in index order), which is what TFLM's merge sort and
 * std::partial_sort give for scores without NaNs. Tensors: input0 box encodings [1, n, >= 4], input1 scores
 * [1, n, classes (+1)], input2 anchors [n, 4]; output0..3 boxes, classes, scores, count. Attributes: the op's custom
 * options (max_detections, max_classes_per_detection, detections_per_class, use_regular_nms, nms_score_threshold,
 * nms_iou_threshold, num_classes, y_scale, x_scale, h_scale, w_scale). */
#include "kernels.h"
#include "tensor_io.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const float *decoded;   /* n boxes: ymin, xmin, ymax, xmax */
    float iou;
    float threshold;
    int n;
} nms_ctx;

/* indices 0..n-1 stably sorted by decreasing value */
static void sort_desc(const float *v, int n, int *idx) {
    for (int i = 0; i < n; i++) idx[i] = i;
    for (int i = 1; i < n; i++) {
        int x = idx[i], j = i;
        while (j > 0 && v[x] > v[idx[j - 1]]) { idx[j] = idx[j - 1]; j--; }
        idx[j] = x;
    }
}

static float fmaxc(float a, float b) { return a < b ? b : a; }
static float fminc(float a, float b) { return b < a ? b : a; }

static float iou(const float *d, int i, int j) {
    const float *a = d + 4 * i, *b = d + 4 * j;
    float area_a = (a[2] - a[0]) * (a[3] - a[1]), area_b = (b[2] - b[0]) * (b[3] - b[1]);
    if (area_a <= 0 || area_b <= 0) return 0.0f;
    float h = fmaxc(fminc(a[2], b[2]) - fmaxc(a[0], b[0]), 0.0f);
    float w = fmaxc(fminc(a[3], b[3]) - fmaxc(a[1], b[1]), 0.0f);
    float inter = h * w;
    return inter / (area_a + area_b - inter);
}

/* single-class NMS over scores[0..n): fills selected (box indices, best first), returns the count */
static int nms(const nms_ctx *x, const float *scores, int max_out, int *selected) {
    int n = x->n, kept = 0;
    int *keep = malloc(sizeof(int) * (size_t) (n + 1)), *order = malloc(sizeof(int) * (size_t) (n + 1));
    float *ks = calloc((size_t) (n + 1), sizeof(float));
    unsigned char *alive = malloc((size_t) n + 1);
    for (int i = 0; i < n; i++) if (scores[i] >= x->threshold) { ks[kept] = scores[i]; keep[kept] = i; kept++; }
    sort_desc(ks, kept, order);
    int limit = kept < max_out ? kept : max_out, count = 0;
    for (int i = 0; i < kept; i++) alive[i] = 1;
    for (int i = 0; i < kept && count < limit; i++) {
        if (!alive[i]) continue;
        int bi = keep[order[i]];
        selected[count++] = bi;
        alive[i] = 0;
        for (int j = i + 1; j < kept; j++)
            if (alive[j] && iou(x->decoded, bi, keep[order[j]]) > x->iou) alive[j] = 0;
    }
    free(keep); free(order); free(ks); free(alive);
    return count;
}

const char *mc_detection_postprocess(mc_case *c) {
    mc_tensor *box = mc_tensor_named(c, "input0"), *cls = mc_tensor_named(c, "input1"), *anc = mc_tensor_named(c, "input2");
    mc_tensor *ob = mc_tensor_named(c, "output0"), *oc = mc_tensor_named(c, "output1"), *os = mc_tensor_named(c, "output2");
    mc_tensor *on = mc_tensor_named(c, "output3");
    if (!box || !cls || !anc || !ob || !oc || !os || !on) return "three inputs and four outputs expected";
    if (box->type != MC_FLOAT32 || cls->type != MC_FLOAT32 || anc->type != MC_FLOAT32) return "float32 only";
    if (box->rank != 3 || cls->rank != 3 || anc->rank != 2) return "bad ranks";
    int n = box->dims[1], stride = box->dims[2], cwb = cls->dims[2];
    int max_det = (int) mc_attr(c, "max_detections", 0), per_box = (int) mc_attr(c, "max_classes_per_detection", 0);
    int per_class = (int) mc_attr(c, "detections_per_class", 100), classes = (int) mc_attr(c, "num_classes", 0);
    int regular = mc_attr(c, "use_regular_nms", 0) != 0;
    float ys = (float) mc_attr(c, "y_scale", 0), xs = (float) mc_attr(c, "x_scale", 0);
    float hs = (float) mc_attr(c, "h_scale", 0), ws = (float) mc_attr(c, "w_scale", 0);
    nms_ctx x = {NULL, (float) mc_attr(c, "nms_iou_threshold", 0), (float) mc_attr(c, "nms_score_threshold", 0), n};
    if (stride < 4 || box->dims[0] != 1 || cls->dims[0] != 1 || cls->dims[1] != n || classes <= 0 || cwb < classes
            || cwb - classes > 1 || max_det <= 0 || !(x.iou > 0 && x.iou <= 1)) return "rejected shapes or options";
    float *d = malloc(sizeof(float) * 4 * (size_t) (n + 1));
    for (int i = 0; i < n; i++) {
        double by = getf(box, (long) i * stride), bx = getf(box, (long) i * stride + 1);
        double bh = getf(box, (long) i * stride + 2), bw = getf(box, (long) i * stride + 3);
        double ay = getf(anc, 4L * i), ax = getf(anc, 4L * i + 1), ah = getf(anc, 4L * i + 2), aw = getf(anc, 4L * i + 3);
        float yc = (float) (by / ys * ah + ay), xc = (float) (bx / xs * aw + ax);
        float hh = (float) (0.5 * exp(bh / hs) * ah), hw = (float) (0.5 * exp(bw / ws) * aw);
        d[4 * i] = yc - hh; d[4 * i + 1] = xc - hw; d[4 * i + 2] = yc + hh; d[4 * i + 3] = xc + hw;
    }
    const char *err = NULL;
    for (int i = 0; i < n; i++) if (d[4 * i] >= d[4 * i + 2] || d[4 * i + 1] >= d[4 * i + 3]) err = "invalid decoded box";
    x.decoded = d;
    int off = cwb - classes;
    int *sel = malloc(sizeof(int) * (size_t) (n + 1));
    if (!err && regular) {
        if (per_class <= 0) err = "detections_per_class must be positive";
        float *cs = malloc(sizeof(float) * (size_t) (n + 1));
        int cap = max_det + n + 1, count = 0;
        int *ids = malloc(sizeof(int) * (size_t) cap), *order = malloc(sizeof(int) * (size_t) cap), *tmpi = malloc(sizeof(int) * (size_t) cap);
        float *sc = malloc(sizeof(float) * (size_t) cap), *tmpf = malloc(sizeof(float) * (size_t) cap);
        for (int col = 0; col < classes && !err; col++) {
            for (int r = 0; r < n; r++) cs[r] = getf(cls, (long) r * cwb + col + off);
            int k = nms(&x, cs, per_class, sel), total = count;
            for (int i = 0; i < k; i++) { ids[total] = sel[i] * cwb + col + off; sc[total] = cs[sel[i]]; total++; }
            sort_desc(sc, total, order);
            count = total < max_det ? total : max_det;
            for (int i = 0; i < count; i++) { tmpi[i] = ids[order[i]]; tmpf[i] = sc[order[i]]; }
            memcpy(ids, tmpi, sizeof(int) * (size_t) count);
            memcpy(sc, tmpf, sizeof(float) * (size_t) count);
        }
        if (!err) {
            for (int k = 0; k < max_det; k++) {
                if (k < count) {
                    int a = ids[k] / cwb;
                    for (int q = 0; q < 4; q++) putf(ob, 4L * k + q, d[4 * a + q]);
                    putf(oc, k, (float) (ids[k] - a * cwb - off));
                    putf(os, k, sc[k]);
                } else {
                    for (int q = 0; q < 4; q++) putf(ob, 4L * k + q, 0.0f);
                    putf(oc, k, 0.0f);
                    putf(os, k, 0.0f);
                }
            }
            putf(on, 0, (float) count);
        }
        free(cs); free(ids); free(order); free(tmpi); free(sc); free(tmpf);
    } else if (!err) {
        if (per_box <= 0) err = "max_classes_per_detection must be positive";
        int m = per_box < classes ? per_box : classes;
        int *ci = malloc(sizeof(int) * (size_t) (n * classes + 1));
        float *best = malloc(sizeof(float) * (size_t) (n + 1)), *row = malloc(sizeof(float) * (size_t) classes);
        for (int r = 0; r < n && !err; r++) {
            for (int k = 0; k < classes; k++) row[k] = getf(cls, (long) r * cwb + off + k);
            sort_desc(row, classes, ci + r * classes);
            best[r] = row[ci[r * classes]];
        }
        free(row);
        if (!err) {
            int k = nms(&x, best, max_det, sel), index = 0;
            for (int i = 0; i < k && !err; i++)
                for (int col = 0; col < m; col++) {
                    long slot = (long) m * index + col;
                    if (4 * slot + 4 > mc_elements(ob) || slot >= mc_elements(oc) || slot >= mc_elements(os)) { err = "outputs too small"; break; }
                    int cl = ci[sel[i] * classes + col];
                    for (int q = 0; q < 4; q++) putf(ob, 4 * slot + q, d[4 * sel[i] + q]);
                    putf(oc, slot, (float) cl);
                    putf(os, slot, getf(cls, (long) sel[i] * cwb + off + cl));
                    index++;
                }
            if (!err) putf(on, 0, (float) index);
        }
        free(ci); free(best);
    }
    free(d); free(sel);
    return err;
}
