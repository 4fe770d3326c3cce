/* REDUCE_MAX, REDUCE_MIN (float32, int8) and REDUCE_ALL (bool) as TFLite Micro's ReduceGeneric, and L2_POOL_2D
 * (float32). Reductions: roles input [axis] output, attrs axes N, axis0.. (negative and repeated axes allowed); every
 * output element starts at the reduction's identity (the type's lowest or highest value, true), then each input element
 * in row-major order is folded into the output element it reduces to. L2_POOL_2D: roles input output, attrs padding
 * (0 SAME, 1 VALID), stride_h, stride_w, filter_h, filter_w, activation; sqrt of the mean square over the window's taps
 * inside the image. */
#include "kernels.h"
#include "tensor_io.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *reduce_generic(mc_case *c, const char *op) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (in->type != out->type) return "input and output types differ";
    int all = !strcmp(op, "REDUCE_ALL"), max = !strcmp(op, "REDUCE_MAX");
    if (all ? in->type != MC_BOOL : (in->type != MC_FLOAT32 && in->type != MC_INT8)) return "type not supported";
    if (in->type == MC_INT8 && (scale0(in) != scale0(out) || zp0(in) != zp0(out))) return "int8 input and output quantization differ";
    int rank = in->rank, reduced[MC_MAX_RANK] = {0};
    long n_in = mc_elements(in), n_out = mc_elements(out);
    if (rank > 0 && n_in > 0) {
        const char *bad = mc_attr_axes(c, rank, reduced);
        if (bad) return bad;
    }
    for (long o = 0; o < n_out; o++) {
        if (in->type == MC_FLOAT32) putf(out, o, max ? -FLT_MAX : FLT_MAX);
        else out->data[o] = (unsigned char) (all ? 1 : max ? -128 : 127);
    }
    int idx[MC_MAX_RANK] = {0};
    for (long i = 0; i < n_in; i++) {
        long o = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) o = o * in->dims[d] + idx[d];
        if (o >= n_out) return "the output is smaller than the reduction";
        if (in->type == MC_FLOAT32) {
            float v = getf(in, i), cur = getf(out, o);
            if (max ? v > cur : v < cur) putf(out, o, v);
        } else if (all) {
            if (!in->data[i]) out->data[o] = 0;
        } else {
            int8_t v = (int8_t) in->data[i], cur = (int8_t) out->data[o];
            if (max ? v > cur : v < cur) out->data[o] = (unsigned char) v;
        }
        for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < in->dims[d]) break; idx[d] = 0; }
    }
    return NULL;
}

/* the padding before the first row or column of a SAME/VALID window grid */
static int leading_pad(int padding, int stride, int in_size, int filter, int out_size) {
    if (padding != 0 && padding != 1) return 0;
    int total = (out_size - 1) * stride + filter - in_size;
    return total > 0 ? total / 2 : 0;
}

static const char *l2_pool(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->rank != 4 || out->rank != 4) return "needs 4-D input and output";
    if (in->type != MC_FLOAT32 || out->type != MC_FLOAT32) return "float32 only";
    int padding = (int) mc_attr(c, "padding", 0), act = (int) mc_attr(c, "activation", 0);
    int sh = (int) mc_attr(c, "stride_h", 1), sw = (int) mc_attr(c, "stride_w", 1);
    int fh = (int) mc_attr(c, "filter_h", 1), fw = (int) mc_attr(c, "filter_w", 1);
    if (sh < 1 || sw < 1 || fh < 1 || fw < 1) return "strides and filter sizes must be positive";
    int batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], depth = in->dims[3];
    int oh = padding == 0 ? (ih + sh - 1) / sh : (ih - fh + sh) / sh, ow = padding == 0 ? (iw + sw - 1) / sw : (iw - fw + sw) / sw;
    if (out->dims[0] != batches || out->dims[1] != oh || out->dims[2] != ow || out->dims[3] != depth) return "output shape is not the pooled shape";
    int ph = leading_pad(padding, sh, ih, fh, oh), pw = leading_pad(padding, sw, iw, fw, ow);
    float lo, hi;
    act_range_float(act, &lo, &hi);
    long o = 0;
    for (int b = 0; b < batches; b++)
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++)
                for (int ch = 0; ch < depth; ch++) {
                    float squares = 0.0f;
                    int taps = 0;
                    for (int ky = 0; ky < fh; ky++)
                        for (int kx = 0; kx < fw; kx++) {
                            int iy = y * sh - ph + ky, ix = x * sw - pw + kx;
                            if (iy < 0 || iy >= ih || ix < 0 || ix >= iw) continue;
                            float v = getf(in, (((long) b * ih + iy) * iw + ix) * depth + ch);
                            squares += v * v;
                            taps++;
                        }
                    putf(out, o++, clampf(sqrtf(squares / (float) taps), lo, hi));
                }
    return NULL;
}

int mc_reduce_pool_handles(const char *op) {
    return !strcmp(op, "REDUCE_MAX") || !strcmp(op, "REDUCE_MIN") || !strcmp(op, "REDUCE_ALL") || !strcmp(op, "L2_POOL_2D");
}

const char *mc_reduce_pool(mc_case *c) {
    return !strcmp(c->op, "L2_POOL_2D") ? l2_pool(c) : reduce_generic(c, c->op);
}
