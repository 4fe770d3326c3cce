/* Type conversions: QUANTIZE (float32 or requantizing), DEQUANTIZE, CAST. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"

/* ---- QUANTIZE / DEQUANTIZE ---- */
const char *mc_quantize(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    int32_t lo = type_min(out->type), hi = type_max(out->type), ozp = zp0(out);
    if (in->type == MC_FLOAT32) {
        float scale = scale0(out);
        for (long i = 0; i < n; i++) {
            float q = roundf(getf(in, i) / scale);
            int32_t v = (q >= -2147483648.0f && q < 2147483648.0f) ? (int32_t) q : INT32_MIN;
            puti(out, i, clampi((int32_t) ((uint32_t) v + (uint32_t) ozp), lo, hi));
        }
        return NULL;
    }
    int32_t m; int shift;
    mc_quantize_multiplier((double) scale0(in) / (double) scale0(out), &m, &shift);
    for (long i = 0; i < n; i++) puti(out, i, clampi(mc_mbqm(geti(in, i) - zp0(in), m, shift) + ozp, lo, hi));
    return NULL;
}

const char *mc_dequantize(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    double scale = scale0(in);
    for (long i = 0; i < n; i++) putf(out, i, (float) (scale * (geti(in, i) - zp0(in))));
    return NULL;
}

const char *mc_cast(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        if (in->type == MC_FLOAT32) {
            float f = getf(in, i);
            if (out->type == MC_FLOAT32) { putf(out, i, f); continue; }
            if (out->type == MC_UINT32) { /* x86-64 converts through a 64-bit cvttss2si and keeps the low half */
                int64_t w = (f >= -9223372036854775808.0f && f < 9223372036854775808.0f) ? (int64_t) f : INT64_MIN;
                puti(out, i, (int32_t) (uint32_t) (uint64_t) w);
                continue;
            }
            int32_t v = (f >= -2147483648.0f && f < 2147483648.0f) ? (int32_t) f : INT32_MIN; /* x86 cvttss2si */
            puti(out, i, v);
        } else {
            int32_t v = in->type == MC_BOOL ? (in->data[i] != 0) : geti(in, i);
            if (out->type == MC_FLOAT32) putf(out, i, in->type == MC_UINT32 ? (float) (uint32_t) v : (float) v);
            else puti(out, i, v);
        }
    }
    return NULL;
}
