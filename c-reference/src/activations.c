/* Activations and SOFTMAX; their int16 LOGISTIC, TANH and SOFTMAX paths are in act16.c. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <float.h>
#include <math.h>
#include <string.h>

/* ---- activations: LOGISTIC, TANH (float via libm, int8 via fixed point, int16 in act16.c), RELU, RELU6, LEAKY_RELU ---- */
const char *mc_activation(mc_case *c) {
    const char *op = c->op;
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    int logistic = !strcmp(op, "LOGISTIC"), tanh_op = !strcmp(op, "TANH");
    if (in->type == MC_FLOAT32) {
        float alpha = (float) mc_attr(c, "alpha", 0.0);
        for (long i = 0; i < n; i++) {
            float x = getf(in, i), r;
            if (logistic) r = x > 16.619047164916992188f ? 1.0f : x < -9.f ? expf(x) : 1.f / (1.f + expf(-x));
            else if (tanh_op) r = tanhf(x);
            else if (!strcmp(op, "RELU")) r = x < 0.0f ? 0.0f : x;
            else if (!strcmp(op, "RELU6")) r = x > 6.0f ? 6.0f : x < 0.0f ? 0.0f : x;
            else r = x > 0 ? x : x * alpha;
            putf(out, i, r);
        }
        return NULL;
    }
    if (in->type == MC_INT16 && (logistic || tanh_op)) return mc_sigmoid_int16(c, tanh_op);
    if (in->type != MC_INT8 && in->type != MC_INT16) return "the C reference covers float32, int8 and int16 activations";
    if (in->type == MC_INT16 && (zp0(in) != 0 || zp0(out) != 0) && strcmp(op, "RELU6") && strcmp(op, "LEAKY_RELU"))
        return "int16 RELU needs zero points 0";
    int32_t izp = zp0(in), ozp = zp0(out), tmin = type_min(in->type), tmax = type_max(in->type);
    if (logistic || tanh_op) {
        double real = (double) scale0(in) * (double) (1 << 27);
        int shift;
        double q = frexp(real, &shift);
        int32_t mult = (int32_t) round(q * (double) (1LL << 31));
        int32_t radius = mc_input_radius(4, shift);
        for (long i = 0; i < n; i++) {
            int32_t x = geti(in, i) - izp, r;
            if (x <= -radius) r = -128;
            else if (x >= radius) r = 127;
            else {
                int32_t q4 = mc_mbqm(x, mult, shift);
                r = logistic ? mc_rdbpot(mc_logistic(q4, 4), 23) - 128 : mc_rdbpot(mc_tanh(q4, 4), 24);
                r = clampi(r, -128, 127);
            }
            puti(out, i, r);
        }
        return NULL;
    }
    if (!strcmp(op, "RELU6")) {
        int32_t six = (int32_t) (roundf(6.0f / scale0(in)) + (float) izp);
        six = clampi(six, tmin, tmax);
        for (long i = 0; i < n; i++) { int32_t v = geti(in, i); puti(out, i, v > six ? six : v < izp ? izp : v); }
        return NULL;
    }
    if (!strcmp(op, "RELU")) {
        int32_t m; int shift;
        mc_quantize_multiplier((double) (scale0(in) / scale0(out)), &m, &shift);
        int32_t lo = ozp + (int32_t) roundf(0.0f / scale0(out));
        if (lo < tmin) lo = tmin;
        for (long i = 0; i < n; i++) puti(out, i, clampi(ozp + mc_mbqm(geti(in, i) - izp, m, shift), lo, tmax));
        return NULL;
    }
    /* LEAKY_RELU */
    float alpha = (float) mc_attr(c, "alpha", 0.0);
    int32_t ma, mi; int sa, si;
    mc_quantize_multiplier((double) (scale0(in) * alpha / scale0(out)), &ma, &sa);
    mc_quantize_multiplier((double) (scale0(in) / scale0(out)), &mi, &si);
    for (long i = 0; i < n; i++) {
        int32_t v = geti(in, i) - izp, r = ozp;
        if (v >= 0) r += mc_mbqm(v, mi, si);
        else { int32_t s2 = mc_mbqm(v, ma < 0 ? -ma : ma, sa); r += ma < 0 ? -s2 : s2; }
        puti(out, i, clampi(r, tmin, tmax));
    }
    return NULL;
}

/* ---- SOFTMAX over the last dimension: float via libm expf, int8 via fixed point, int16 via tables (act16.c) ---- */
const char *mc_softmax(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    float beta = (float) mc_attr(c, "beta", 1.0);
    int depth = in->dims[in->rank - 1];
    long outer = depth ? mc_elements(in) / depth : 0;
    if (in->type == MC_FLOAT32) {
        for (long i = 0; i < outer; i++) {
            float max = -FLT_MAX, sum = 0.0f;
            for (int k = 0; k < depth; k++) { float v = getf(in, i * depth + k); max = max < v ? v : max; }
            for (int k = 0; k < depth; k++) {
                float e = expf((getf(in, i * depth + k) - max) * beta);
                putf(out, i * depth + k, e);
                sum += e;
            }
            for (int k = 0; k < depth; k++) putf(out, i * depth + k, getf(out, i * depth + k) / sum);
        }
        return NULL;
    }
    if (in->type == MC_INT16) return mc_softmax_int16(c);
    if (in->type != MC_INT8) return "the C reference covers float32, int8 and int16 softmax";
    double real = (double) beta * (double) scale0(in) * (double) (1 << 26);
    if (real > (double) ((1LL << 31) - 1)) real = (double) ((1LL << 31) - 1);
    int32_t m; int shift;
    mc_quantize_multiplier(real, &m, &shift);
    int32_t diff_min = (int32_t) (-1.0 * mc_input_radius(5, shift));
    int out16 = out->type == MC_INT16;
    int32_t omin = out16 ? -32768 : -128, omax = out16 ? 32767 : 127;
    for (long i = 0; i < outer; i++) {
        int32_t max = -128, sum = 0;
        for (int k = 0; k < depth; k++) { int32_t v = geti(in, i * depth + k); if (v > max) max = v; }
        for (int k = 0; k < depth; k++) {
            int32_t d = geti(in, i * depth + k) - max;
            if (d >= diff_min) {
                int32_t scaled = mc_srdhm((int32_t) ((uint32_t) d << shift), m);
                sum = (int32_t) ((uint32_t) sum + (uint32_t) mc_srmbpot(mc_exp_on_negative_values(scaled, 5), -12));
            }
        }
        int bits;
        int32_t recip = mc_reciprocal(sum, 12, &bits);
        int exponent = bits + 31 - (out16 ? 16 : 8);
        for (int k = 0; k < depth; k++) {
            int32_t d = geti(in, i * depth + k) - max, v = omin;
            if (d >= diff_min) {
                int32_t scaled = mc_srdhm((int32_t) ((uint32_t) d << shift), m);
                int32_t e = mc_exp_on_negative_values(scaled, 5);
                v = clampi(mc_rdbpot(mc_srdhm(recip, e), exponent) + omin, omin, omax);
            }
            puti(out, i * depth + k, v);
        }
    }
    return NULL;
}
