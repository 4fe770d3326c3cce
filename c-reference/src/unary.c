/* Unary ops: ABS, NEG, FLOOR, EXP, SQRT, RSQRT, HARD_SWISH (float32; ABS, RSQRT also int8/int16; HARD_SWISH also int8). */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <math.h>
#include <string.h>

/* int8 HARD_SWISH: the input rescaled to Q0.15 ("hires"), a ReLU6-like ramp mapped onto [-1, 1] in Q0.15 and halved
 * into [0, 1], multiplied (non-rounding) by the rescaled input; both multipliers are reduced to 16 bits. */
static int16_t sat16(int64_t v) { return (int16_t) (v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v); }
static int16_t srdhm16(int16_t a, int16_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    int32_t ab = (int32_t) a * b, nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t) ((ab + nudge) / (1 << 15));
}
static int16_t rdbpot16(int16_t x, int e) {
    int32_t mask = (1 << e) - 1, rem = x & mask, threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (int16_t) ((x >> e) + (rem > threshold ? 1 : 0));
}
static int16_t to16_multiplier(int32_t m) { return m >= INT32_MAX - (1 << 15) ? INT16_MAX : (int16_t) ((m + (1 << 15)) >> 16); }

static const char *hard_swish_int8(mc_tensor *in, mc_tensor *out) {
    float hires_scale = (1.0f / 128.0f) * scale0(in);
    int32_t om, rm; int oe, re;
    mc_quantize_multiplier((double) (hires_scale / scale0(out)), &om, &oe);
    if (oe > 0) return "output multiplier exponent above 0";
    mc_quantize_multiplier((double) (hires_scale / (3.0f / 32768.0f)), &rm, &re);
    int16_t om16 = to16_multiplier(om), rm16 = to16_multiplier(rm);
    int32_t izp = zp0(in), ozp = zp0(out);
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        int16_t hires = (int16_t) ((int16_t) (geti(in, i) - izp) * 128);
        int16_t scaled_in = srdhm16(hires, om16), ramp = hires;
        if (re > 0) ramp = sat16((int64_t) ramp * ((int64_t) 1 << (re - 1)));
        ramp = srdhm16(ramp, rm16);
        if (re > 0) ramp = sat16((int64_t) ramp * 2);
        if (re < 0) ramp = rdbpot16(ramp, -re);
        ramp = (int16_t) ((ramp + (1 << 15)) >> 1);
        int16_t prod = (ramp == INT16_MIN && scaled_in == INT16_MIN) ? INT16_MAX
                : (int16_t) (((int32_t) ramp * scaled_in) / (1 << 15));
        int32_t o = (int16_t) (rdbpot16(prod, -oe) + ozp);
        puti(out, i, clampi(o, -128, 127));
    }
    return NULL;
}

/* int8/int16 RSQRT: 1/sqrt(input - zero point) by Newton iterations in Q3.28, then the output multiplier
 * 1 / (sqrt(input scale) * output scale), with 20 bits of headroom between the two steps. */
static const char *rsqrt_quantized(mc_tensor *in, mc_tensor *out) {
    int32_t izp = zp0(in), ozp = zp0(out), lo = type_min(in->type), hi = type_max(in->type);
    if (in->type == MC_INT16 && (izp != 0 || ozp != 0)) return "int16 RSQRT needs zero points 0";
    int32_t m; int e;
    mc_quantize_multiplier(1.0 / (double) (sqrtf(scale0(in)) * scale0(out)), &m, &e);
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        int32_t q = geti(in, i), r;
        if (q < izp) return "Rsqrt is only defined for positive values";
        if (q == izp) r = hi;
        else {
            int32_t im; int ie;
            mc_inv_sqrt(q - izp, -1, &im, &ie);
            r = mc_mbqm(mc_mbqm(1, im, ie + 20), m, e - 20) + ozp;
        }
        puti(out, i, clampi(r, lo, hi));
    }
    return NULL;
}

const char *mc_unary(mc_case *c) {
    const char *op = c->op;
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    if (in->type != MC_FLOAT32) {
        if (!strcmp(op, "HARD_SWISH") && in->type == MC_INT8 && out->type == MC_INT8) return hard_swish_int8(in, out);
        if (!strcmp(op, "RSQRT") && (in->type == MC_INT8 || in->type == MC_INT16) && out->type == in->type) return rsqrt_quantized(in, out);
        if (strcmp(op, "ABS")) return "the C reference covers float32 only for this op";
        int32_t izp = zp0(in), ozp = zp0(out), lo = type_min(in->type), hi = type_max(in->type);
        int rescale = scale0(in) != scale0(out);
        int32_t m = 0; int shift = 0;
        if (rescale) mc_quantize_multiplier((double) (scale0(in) / scale0(out)), &m, &shift);
        for (long i = 0; i < n; i++) {
            int32_t v = geti(in, i) - izp;
            if (v < 0) v = -v;
            if (in->type == MC_INT16 && !in->nscale) { puti(out, i, (int16_t) v); continue; } /* raw int16: -32768 wraps */
            puti(out, i, clampi(rescale ? mc_mbqm(v, m, shift) + ozp : v + ozp, lo, hi));
        }
        return NULL;
    }
    for (long i = 0; i < n; i++) {
        float x = getf(in, i), r;
        if (!strcmp(op, "ABS")) r = fabsf(x);
        else if (!strcmp(op, "NEG")) r = -x;
        else if (!strcmp(op, "FLOOR")) r = floorf(x);
        else if (!strcmp(op, "EXP")) r = expf(x);
        else if (!strcmp(op, "SQRT")) r = sqrtf(x);
        else if (!strcmp(op, "RSQRT")) r = 1.f / sqrtf(x);
        else r = x * (6.f < (0.f < x + 3 ? x + 3 : 0.f) ? 6.f : (0.f < x + 3 ? x + 3 : 0.f)) / 6; /* HARD_SWISH */
        putf(out, i, r);
    }
    return NULL;
}
