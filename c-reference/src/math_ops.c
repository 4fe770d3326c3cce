/* Element-wise math with TFLite Micro's semantics: CEIL, ROUND, COS, SIN, LOG, SQUARE (float32), ELU (float32, int8),
 * PRELU (float32, int8, int16 with int8 alpha), FLOOR_DIV, FLOOR_MOD (float32), ADD_N (float32, int8), LOG_SOFTMAX
 * (float32, int8) and L2_NORMALIZATION (float32, int8). The float functions are the C library's (this machine's glibc),
 * which is what TFLM's kernels call. Roles: input output; PRELU input alpha output; FLOOR_DIV/FLOOR_MOD input1 input2
 * output; ADD_N input0 input1 ... output. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TFLM's RoundToNearest is round-half-to-even, except that values in (-0.5, 0) and -0.5 give +0 and a NaN comes back
 * quieted (it computes floor + 1). */
static float round_tflm(float x) {
    if (isnan(x)) return x + 1.0f;
    float r = rintf(x);
    return r == 0.0f && x < 0.0f ? 0.0f : r;
}

static const char *unary(mc_case *c, const char *op) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (in->type != MC_FLOAT32 || out->type != MC_FLOAT32) return "float32 only";
    long n = mc_elements(in);
    if (mc_elements(out) != n) return "input and output sizes differ";
    for (long i = 0; i < n; i++) {
        float x = getf(in, i), r;
        if (!strcmp(op, "CEIL")) r = isnan(x) ? x : ceilf(x); /* TFLM's build inlines ceilf, which passes NaNs through */
        else if (!strcmp(op, "ROUND")) r = round_tflm(x);
        else if (!strcmp(op, "COS")) r = cosf(x);
        else if (!strcmp(op, "SIN")) r = sinf(x);
        else if (!strcmp(op, "LOG")) r = logf(x);
        else r = x * x; /* SQUARE */
        putf(out, i, r);
    }
    return NULL;
}

static const char *elu(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (in->type != out->type) return "input and output types differ";
    long n = mc_elements(in);
    if (in->type == MC_FLOAT32) {
        for (long i = 0; i < n; i++) { float x = getf(in, i); putf(out, i, x < 0.0f ? expm1f(x) : x); }
        return NULL;
    }
    if (in->type != MC_INT8) return "ELU takes float32 or int8";
    /* the int8 table, built in float as TFLM's Prepare builds it */
    int8_t table[256];
    float in_scale = scale0(in), inverse = 1 / scale0(out);
    int32_t in_zp = zp0(in), out_zp = zp0(out);
    for (int v = -128; v <= 127; v++) {
        float x = in_scale * (float) (v - in_zp);
        float y = x < 0.0f ? expf(x) - 1.0f : x;
        float q = roundf(y * inverse) + (float) out_zp;
        int32_t iq = q >= -2147483648.0f && q < 2147483648.0f ? (int32_t) q : INT32_MIN; /* cvttss2si */
        table[(uint8_t) v] = (int8_t) clampi(iq, -128, 127);
    }
    for (long i = 0; i < n; i++) out->data[i] = (unsigned char) table[in->data[i]];
    return NULL;
}

static const char *prelu(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *alpha = mc_tensor_named(c, "alpha"), *out = mc_tensor_named(c, "output");
    if (!in || !alpha || !out) return "needs input, alpha and output";
    if (out->type != in->type) return "output type differs from the input's";
    long *mi = mc_broadcast_map(in, out), *ma = mc_broadcast_map(alpha, out);
    if (!mi || !ma) { free(mi); free(ma); return "input and alpha do not broadcast to the output"; }
    long n = mc_elements(out);
    const char *err = NULL;
    if (in->type == MC_FLOAT32) {
        if (alpha->type != MC_FLOAT32 || out->rank > 4) err = "float PRELU needs a float alpha and rank <= 4";
        else for (long i = 0; i < n; i++) {
            float x = getf(in, mi[i]);
            putf(out, i, x >= 0.0f ? x : x * getf(alpha, ma[i]));
        }
    } else if ((in->type == MC_INT8 || in->type == MC_INT16) && alpha->type == MC_INT8) {
        int32_t m1, m2;
        int s1, s2;
        mc_quantize_multiplier((double) scale0(in) / (double) scale0(out), &m1, &s1);
        mc_quantize_multiplier((double) scale0(in) * (double) scale0(alpha) / (double) scale0(out), &m2, &s2);
        int32_t lo = type_min(in->type), hi = type_max(in->type);
        for (long i = 0; i < n; i++) {
            int32_t x = geti(in, mi[i]) - zp0(in);
            int32_t r = x >= 0 ? mc_mbqm(x, m1, s1) : mc_mbqm(x * (geti(alpha, ma[i]) - zp0(alpha)), m2, s2);
            puti(out, i, clampi(r + zp0(out), lo, hi));
        }
    } else {
        err = "PRELU takes float32, or int8/int16 with an int8 alpha";
    }
    free(mi);
    free(ma);
    return err;
}

static const char *floor_div_mod(mc_case *c, int div) {
    mc_tensor *a = mc_tensor_named(c, "input1"), *b = mc_tensor_named(c, "input2"), *out = mc_tensor_named(c, "output");
    if (!a || !b || !out) return "needs input1, input2 and output";
    if (a->type != MC_FLOAT32 || b->type != MC_FLOAT32 || out->type != MC_FLOAT32) return "float32 only";
    if (div) for (long i = 0; i < mc_elements(b); i++) if (getf(b, i) == 0.0f) return "Division by 0";
    long *ma = mc_broadcast_map(a, out), *mb = mc_broadcast_map(b, out);
    if (!ma || !mb) { free(ma); free(mb); return "inputs do not broadcast to the output"; }
    long n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        float x = getf(a, ma[i]), y = getf(b, mb[i]), r;
        if (div) {
            r = (float) floor((double) x / (double) y);
        } else {
            r = fmodf(x, y);
            if (r != 0.0f && ((y < 0.0f) != (r < 0.0f))) r += y;
        }
        putf(out, i, r);
    }
    free(ma);
    free(mb);
    return NULL;
}

static const char *add_n(mc_case *c) {
    mc_tensor *out = mc_tensor_named(c, "output"), *ins[MC_MAX_TENSORS];
    int count = 0;
    for (;; count++) {
        char name[16];
        snprintf(name, sizeof name, "input%d", count);
        mc_tensor *t = mc_tensor_named(c, name);
        if (!t) break;
        if (count == MC_MAX_TENSORS) return "too many inputs";
        ins[count] = t;
    }
    if (!out || count < 2) return "needs input0, input1, ... and output";
    long n = mc_elements(out);
    for (int k = 0; k < count; k++) {
        if (ins[k]->type != out->type || mc_elements(ins[k]) != n) return "inputs must match the output's type and size";
    }
    if (out->type == MC_FLOAT32) {
        for (long i = 0; i < n; i++) {
            float sum = 0;
            for (int k = 0; k < count; k++) sum += getf(ins[k], i);
            putf(out, i, sum);
        }
        return NULL;
    }
    if (out->type != MC_INT8) return "ADD_N takes float32 or int8";
    float s = scale0(ins[0]);
    for (int k = 1; k < count; k++) if (scale0(ins[k]) != s || zp0(ins[k]) != zp0(ins[0])) return "int8 inputs must share scale and zero point";
    double twice = 2 * (double) s;
    double real_out = twice / ((double) (1 << 20) * (double) scale0(out));
    if (!(real_out > 0 && real_out < 1)) return "output multiplier not in (0, 1)";
    int32_t min, mout;
    int sin_, sout;
    mc_quantize_multiplier((double) s / twice, &min, &sin_);
    mc_quantize_multiplier(real_out, &mout, &sout);
    int32_t zp = zp0(ins[0]);
    /* TFLM starts the sum from the rescaled input offset (-zp), not from zero */
    int32_t start = mc_mbqm_smaller_than_one((int32_t) ((uint32_t) -zp << 20), min, sin_);
    for (long i = 0; i < n; i++) {
        int32_t sum = start;
        for (int k = 0; k < count; k++) {
            int32_t v = geti(ins[k], i) - zp;
            sum = (int32_t) ((uint32_t) sum + (uint32_t) mc_mbqm_smaller_than_one((int32_t) ((uint32_t) v << 20), min, sin_));
        }
        puti(out, i, clampi(mc_mbqm_smaller_than_one(sum, mout, sout) + zp0(out), -128, 127));
    }
    return NULL;
}

/* log(x) for x >= 1, x with in_bits integer bits, result with out_bits (gemmlowp-style fixed point, as TFLM's
 * log_x_for_x_greater_than_or_equal_to_1): normalise x to r * 2^e with r in [sqrt(1/2), sqrt(2)) by whichever of x
 * and x * sqrt(1/2) normalises better, log(r) from a rational function around 2^(-1/4), plus e * log(2). */
static int32_t sat_add(int32_t a, int32_t b) { int64_t s = (int64_t) a + b; return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t) s; }
static int32_t sat_sub(int32_t a, int32_t b) { int64_t s = (int64_t) a - b; return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t) s; }
static int32_t wadd(int32_t a, int32_t b) { return (int32_t) ((uint32_t) a + (uint32_t) b); }
static int32_t wsub(int32_t a, int32_t b) { return (int32_t) ((uint32_t) a - (uint32_t) b); }

static int32_t log_x_ge_1(int32_t x, int in_bits, int out_bits) {
    const int acc = out_bits + 1;
    const int32_t ln2 = 1488522236, q_sqrt_half = 1805811301, sqrt_half = 1518500250, quarter = 536870912;
    const int32_t a_n = 117049297, a_d = 127690142, a_i = 1057819769, a_f = 638450708;
    int32_t quarter_acc = mc_srmbpot(quarter, -acc);
    int lz_a = x == 0 ? 32 : __builtin_clz((uint32_t) x);
    int32_t r_a = mc_srmbpot(mc_srdhm(mc_srmbpot(x, lz_a - 1), sqrt_half), 1);
    int32_t e_a = sat_add(mc_srmbpot(in_bits - lz_a, 31 - acc), quarter_acc);
    int32_t xb = mc_srdhm(x, sqrt_half);
    int lz_b = (xb == 0 ? 32 : __builtin_clz((uint32_t) xb)) - 1;
    int32_t r_b = mc_srmbpot(x, lz_b);
    int32_t e_b = sat_sub(mc_srmbpot(in_bits - lz_b, 31 - acc), quarter_acc);
    int32_t r = r_a < r_b ? r_a : r_b, e = e_a > e_b ? e_a : e_b;
    int64_t psum = (int64_t) r + q_sqrt_half;
    int32_t p = (int32_t) ((psum + (psum >= 0 ? 1 : -1)) / 2);
    int32_t q = wsub(r, q_sqrt_half);
    q = wadd(q, q);
    int32_t q2 = mc_srdhm(q, q);
    int32_t num = wadd(mc_srdhm(q, r), mc_srdhm(mc_srdhm(q, q2), a_n));
    int32_t den = wadd(mc_srdhm(p, wadd(wadd(a_i, q), mc_srdhm(a_d, q2))), mc_srdhm(a_f, q));
    int32_t num_acc = mc_srmbpot(num, -acc);
    int32_t sum = wadd(mc_srdhm(e, ln2), mc_srdhm(num_acc, mc_one_over_one_plus_x(den)));
    return mc_srmbpot(sum, acc - out_bits);
}

static const char *log_softmax(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (in->type != out->type || in->rank < 1) return "input and output must have one type and rank >= 1";
    int depth = in->dims[in->rank - 1];
    long rows = depth ? mc_elements(in) / depth : 0;
    if (in->type == MC_FLOAT32) {
        for (long i = 0; i < rows; i++) {
            float max = -FLT_MAX, sum = 0.0f;
            for (int k = 0; k < depth; k++) { float v = getf(in, i * depth + k); if (max < v) max = v; }
            for (int k = 0; k < depth; k++) sum += expf(getf(in, i * depth + k) - max);
            float log_sum = logf(sum);
            for (int k = 0; k < depth; k++) putf(out, i * depth + k, getf(in, i * depth + k) - max - log_sum);
        }
        return NULL;
    }
    if (in->type != MC_INT8) return "LOG_SOFTMAX takes float32 or int8";
    if (scale0(out) != 16.0f / 256 || zp0(out) != 127) return "int8 output must have scale 1/16 and zero point 127";
    double real = (double) scale0(in) * (double) (1 << 26);
    if (real > 2147483647.0) real = 2147483647.0;
    if (!(real > 1)) return "input multiplier must exceed 1";
    int32_t m, rev_m;
    int shift, rev_shift;
    mc_quantize_multiplier(real, &m, &shift);
    double rev = (double) (1 << (31 - shift)) / (double) m;
    if (!(rev > 0 && rev < 1)) return "reverse multiplier must be in (0, 1)";
    mc_quantize_multiplier(rev, &rev_m, &rev_shift);
    int32_t diff_min = -mc_input_radius(5, shift);
    for (long i = 0; i < rows; i++) {
        int32_t max = -128;
        for (int k = 0; k < depth; k++) { int32_t v = geti(in, i * depth + k); if (v > max) max = v; }
        int32_t sum = 0; /* Q12.19 */
        for (int k = 0; k < depth; k++) {
            int32_t d = geti(in, i * depth + k) - max;
            if (d >= diff_min) sum = wadd(sum, mc_srmbpot(mc_exp_on_negative_values(mc_mbqm(d, m, shift), 5), -12));
        }
        int32_t log_sum = log_x_ge_1(sum, 12, 5); /* Q5.26 */
        int32_t limit = mc_mbqm(wadd(log_sum, INT32_MIN), rev_m, rev_shift);
        if (limit < diff_min - 1) limit = diff_min - 1;
        for (int k = 0; k < depth; k++) {
            int32_t d = geti(in, i * depth + k) - max, v = -128;
            if (d > limit) v = clampi(mc_rdbpot(wsub(mc_mbqm(d, m, shift), log_sum), 22) + 127, -128, 127);
            puti(out, i * depth + k, v);
        }
    }
    return NULL;
}

static const char *l2_normalization(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (in->type != out->type || in->rank < 1 || in->rank > 4) return "input and output must have one type and rank 1 to 4";
    if ((int) mc_attr(c, "activation", 0) != 0) return "no fused activation allowed";
    int depth = in->dims[in->rank - 1];
    long rows = depth ? mc_elements(in) / depth : 0;
    for (long i = 0; i < rows; i++) {
        if (in->type == MC_FLOAT32) {
            float squares = 0;
            for (int k = 0; k < depth; k++) { float v = getf(in, i * depth + k); squares += v * v; }
            float norm = sqrtf(squares);
            if (norm < 1e-6f) norm = 1e-6f;
            for (int k = 0; k < depth; k++) putf(out, i * depth + k, getf(in, i * depth + k) / norm);
        } else if (in->type == MC_INT8) {
            int32_t squares = 0, zp = zp0(in), m;
            int shift;
            for (int k = 0; k < depth; k++) { int32_t v = geti(in, i * depth + k) - zp; squares += v * v; }
            mc_inv_sqrt(squares, -1, &m, &shift);
            for (int k = 0; k < depth; k++) puti(out, i * depth + k, clampi(mc_mbqm(geti(in, i * depth + k) - zp, m, shift + 7), -128, 127));
        } else {
            return "L2_NORMALIZATION takes float32 or int8";
        }
    }
    return NULL;
}

int mc_math_ops_handles(const char *op) {
    static const char *ops[] = {"CEIL", "ROUND", "COS", "SIN", "LOG", "SQUARE", "ELU", "PRELU", "FLOOR_DIV", "FLOOR_MOD",
                                "ADD_N", "LOG_SOFTMAX", "L2_NORMALIZATION", NULL};
    for (int k = 0; ops[k]; k++) if (!strcmp(op, ops[k])) return 1;
    return 0;
}

const char *mc_math_ops(mc_case *c) {
    const char *op = c->op;
    if (!strcmp(op, "ELU")) return elu(c);
    if (!strcmp(op, "PRELU")) return prelu(c);
    if (!strcmp(op, "FLOOR_DIV")) return floor_div_mod(c, 1);
    if (!strcmp(op, "FLOOR_MOD")) return floor_div_mod(c, 0);
    if (!strcmp(op, "ADD_N")) return add_n(c);
    if (!strcmp(op, "LOG_SOFTMAX")) return log_softmax(c);
    if (!strcmp(op, "L2_NORMALIZATION")) return l2_normalization(c);
    return unary(c, op);
}
