/* int16 LOGISTIC, TANH and SOFTMAX with TFLM's arithmetic (symmetric int16, zero points 0).
 *
 * LOGISTIC/TANH: the input is rescaled by an int16 multiplier and left shift (3 << shift when the input scale is the
 * power of two the kernel expects), then a 256-entry table of sigmoid(i / 24) in unsigned Q0.16 is interpolated:
 * with 9 fraction bits for the logistic, 8 for the tanh (tanh(x) = 2 sigmoid(2x) - 1).
 *
 * SOFTMAX: two 513-entry tables populated in float (LUTPopulateInt16: each sample biased by half the midpoint
 * interpolation error), exp over [-10, 0] and 1 / (1 + x) over [0, 1], looked up with 7-bit linear interpolation. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* TFLM's CheckedLog2: log2 in float, rounded; true when within 1e-3 of an integer. */
static int checked_log2(float x, int *result) {
    float l = logf(x) * (1.0f / logf(2.0f)), r = roundf(l);
    *result = (int) r;
    return fabsf(l - r) < 1e-3f;
}

const char *mc_sigmoid_int16(mc_case *c, int tanh_op) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (zp0(in) != 0 || zp0(out) != 0) return "int16 LOGISTIC/TANH need zero points 0";
    int log2_in, log2_out;
    int pot = checked_log2(scale0(in), &log2_in);
    int left_shift = (15 - 3) + log2_in;
    pot = pot && (left_shift == 0 || (tanh_op && left_shift == 1));
    int32_t multiplier;
    if (pot) {
        multiplier = 3 << left_shift;
        left_shift = 0;
    } else {
        double m = (double) scale0(in) * 4096.0 * 3.0;
        left_shift = 0;
        while (m <= 32767.0 / 2.0 && left_shift <= 30) { left_shift++; m *= 2.0; }
        multiplier = (int32_t) m;
    }
    if (!checked_log2(scale0(out), &log2_out) || log2_out != -15) return "int16 LOGISTIC/TANH need output scale 2^-15";
    int32_t round_half = left_shift > 0 ? 1 << (left_shift - 1) : 0;
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        int32_t x = (geti(in, i) * multiplier + round_half) >> left_shift;
        int16_t o = tanh_op ? mc_tanh16(x) : mc_logistic16(x);
        puti(out, i, o);
    }
    return NULL;
}

/* LUTPopulateInt16 in float, 513 entries. */
static void lut_populate(float in_scale, int in_zp, float out_scale, int out_zp, float (*f)(float), int16_t *lut) {
    float in_min = in_scale * (float) (-32768 - in_zp), in_max = in_scale * (float) (32767 - in_zp);
    float out_min = out_scale * (float) (-32768 - out_zp), out_max = out_scale * (float) (32767 - out_zp);
    float step = (in_max - in_min) / 512, half = step / 2, inv = 65536.0f / (out_max - out_min);
    for (int i = 0; i < 512; i++) {
        float v = f(in_min + (float) i * step), mid = f(in_min + (float) i * step + half), next = f(in_min + (float) (i + 1) * step);
        float sample = roundf(v * inv);
        float mid_interp = roundf((next * inv + roundf(v * inv)) / 2);
        float bias = roundf((mid_interp - roundf(mid * inv)) / 2);
        lut[i] = (int16_t) fminf(fmaxf(sample - bias, -32768.0f), 32767.0f);
    }
    lut[512] = (int16_t) fminf(fmaxf(roundf(f(in_max) * inv), -32768.0f), 32767.0f);
}

static int16_t lut_lookup(int16_t v, const int16_t *lut) {
    int index = 256 + (v >> 7), offset = v & 0x7f;
    int slope = lut[index + 1] - lut[index];
    return (int16_t) (lut[index] + ((slope * offset + 64) >> 7));
}

static float exp_fn(float x) { return expf(x); }
static float one_over_one_plus(float x) { return 1.0f / (1.0f + x); }

const char *mc_softmax_int16(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    if (out->type != MC_INT16) return "int16 SOFTMAX needs an int16 output";
    if (zp0(in) != 0 || zp0(out) != 0) return "int16 SOFTMAX needs zero points 0";
    if (fabsf(scale0(out) - 1.0f / 32768) > 0.001f * 1.0f / 32768) return "int16 SOFTMAX needs output scale 1/32768";
    float beta = (float) mc_attr(c, "beta", 1.0);
    int16_t exp_lut[513], recip_lut[513];
    lut_populate(10.0f / 65535, 32767, 2.0f / 65535, 0, exp_fn, exp_lut);
    lut_populate(1.0f / 65535, -32768, 2.0f / 65535, 0, one_over_one_plus, recip_lut);
    int32_t m; int shift;
    mc_quantize_multiplier((double) scale0(in) * (double) beta / (10.0 / 65535.0), &m, &shift);
    int depth = in->dims[in->rank - 1];
    long outer = depth ? mc_elements(in) / depth : 0;
    for (long i = 0; i < outer; i++) {
        int32_t max = -32768, sum = 0;
        for (int k = 0; k < depth; k++) { int32_t v = geti(in, i * depth + k); if (v > max) max = v; }
        for (int k = 0; k < depth; k++) {
            int32_t scaled = mc_mbqm(geti(in, i * depth + k) - max, m, shift);
            int16_t e = lut_lookup((int16_t) clampi(scaled + 32767, -32768, 32767), exp_lut);
            puti(out, i * depth + k, e);
            sum += e;
        }
        int headroom_plus_one = sum ? __builtin_clz((uint32_t) sum) : 32;
        int32_t shifted = (int32_t) ((((int64_t) sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
        int16_t recip = lut_lookup((int16_t) clampi(shifted - ((1 << 15) + (1 << 16)), -32768, 32767), recip_lut);
        int right_shift = (uint8_t) (31 - headroom_plus_one);
        int64_t round_half = (int64_t) 1 << (right_shift - 1);
        for (int k = 0; k < depth; k++) {
            int32_t r = (int32_t) (((int64_t) geti(out, i * depth + k) * recip + round_half) >> right_shift);
            puti(out, i * depth + k, clampi(r, 0, 32767));
        }
    }
    return NULL;
}
