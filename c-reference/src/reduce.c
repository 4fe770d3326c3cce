/* Reductions along axes: MEAN, SUM; ARG_MAX, ARG_MIN. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- MEAN / SUM over the axes in attr axis0..axis3 (count in attr axes) ---- */
static const char *reduce(mc_case *c, int mean) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    int rank = in->rank, naxes = (int) mc_attr(c, "axes", 0), reduced[MC_MAX_RANK] = {0};
    const char *bad = mc_attr_axes(c, rank, reduced);
    if (bad) return bad;
    long n_in = mc_elements(in), n_out = mc_elements(out), count = 1;
    for (int d = 0; d < rank; d++) if (reduced[d]) count *= in->dims[d];
    int keep = (int) mc_attr(c, "keep_dims", 0);
    int idx[MC_MAX_RANK] = {0};
    if (in->type == MC_FLOAT32) {
        for (long i = 0; i < n_out; i++) putf(out, i, 0.0f);
        if (mean && keep && rank == 4 && naxes == 2 && reduced[1] && reduced[2]) {
            int b = in->dims[0], h = in->dims[1], w = in->dims[2], dd = in->dims[3];
            for (int ob = 0; ob < b; ob++)
                for (int od = 0; od < dd; od++) {
                    float v = 0;
                    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) v += getf(in, (((long) ob * h + y) * w + x) * dd + od);
                    putf(out, (long) ob * dd + od, v / (w * h));
                }
            return NULL;
        }
    }
    int64_t *acc = calloc((size_t) n_out + 1, sizeof(int64_t));
    if (!acc) return "out of memory";
    for (long i = 0; i < n_in; i++) {
        long o = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) o = o * in->dims[d] + idx[d];
        if (in->type == MC_FLOAT32) putf(out, o, getf(in, i) + getf(out, o));
        else acc[o] = (int32_t) ((uint32_t) acc[o] + (uint32_t) geti(in, i));
        for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < in->dims[d]) break; idx[d] = 0; }
    }
    if (in->type == MC_FLOAT32) {
        if (mean && count > 0) for (long i = 0; i < n_out; i++) putf(out, i, getf(out, i) / (float) count);
        free(acc);
        return NULL;
    }
    int32_t m; int shift;
    mc_quantize_multiplier((double) scale0(in) / (double) scale0(out), &m, &shift);
    if (mean) {
        int s2 = 63 - __builtin_clzll((unsigned long long) count);
        if (s2 > 32) s2 = 32;
        if (s2 > 31 + shift) s2 = 31 + shift;
        m = (int32_t) (((int64_t) m << s2) / count);
        shift -= s2;
    }
    for (long i = 0; i < n_out; i++) {
        int32_t shifted = (int32_t) (acc[i] - (int64_t) zp0(in) * count);
        puti(out, i, clampi(mc_mbqm(shifted, m, shift) + zp0(out), type_min(out->type), type_max(out->type)));
    }
    free(acc);
    return NULL;
}

/* ---- ARG_MAX / ARG_MIN along the axis tensor's axis ---- */
static const char *arg_max(mc_case *c, int max) {
    mc_tensor *in = mc_tensor_named(c, "input"), *axis_t = mc_tensor_named(c, "axis"), *out = mc_tensor_named(c, "output");
    if (!in || !axis_t || !out) return "needs input, axis and output";
    int rank = in->rank, axis = geti(axis_t, 0);
    if (axis < 0) axis += rank;
    long outer = 1, inner = 1;
    for (int d = 0; d < axis; d++) outer *= in->dims[d];
    for (int d = axis + 1; d < rank; d++) inner *= in->dims[d];
    int size = in->dims[axis];
    for (long o = 0; o < outer; o++)
        for (long k = 0; k < inner; k++) {
            int best = 0;
            if (in->type == MC_FLOAT32) {
                float v = getf(in, o * size * inner + k);
                for (int i = 1; i < size; i++) { float w2 = getf(in, (o * size + i) * inner + k); if (!isnan(w2) && (isnan(v) || (max ? w2 > v : w2 < v))) { v = w2; best = i; } } /* NaN never wins */
            } else {
                int32_t v = geti(in, o * size * inner + k);
                for (int i = 1; i < size; i++) { int32_t w2 = geti(in, (o * size + i) * inner + k); if (max ? w2 > v : w2 < v) { v = w2; best = i; } }
            }
            puti(out, o * inner + k, best);
        }
    return NULL;
}

const char *mc_mean(mc_case *c) { return reduce(c, 1); }
const char *mc_sum(mc_case *c) { return reduce(c, 0); }
const char *mc_arg_max(mc_case *c) { return arg_max(c, 1); }
const char *mc_arg_min(mc_case *c) { return arg_max(c, 0); }
