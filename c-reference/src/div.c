/* DIV with broadcasting: float32 and int32 divide in C (int32 truncating) and clamp to the fused activation;
 * int8 multiplies the offset dividend by the fixed-point reciprocal of the offset divisor (GetReciprocal), the
 * dividend's sign-bit headroom carried into the output multiplier's shift. A zero divisor is an error (TFLM aborts). */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <stdlib.h>

static int leading_sign_bits(int32_t x) { return x ? __builtin_clrsb(x) : 31; }

static const char *div_mapped(mc_case *c, mc_tensor *a, mc_tensor *b, mc_tensor *out, const long *ma, const long *mb) {
    int act = (int) mc_attr(c, "activation", 0);
    long n = mc_elements(out);
    if (a->type != b->type || a->type != out->type) return "input and output types must match";
    if (out->type == MC_FLOAT32) {
        float lo, hi;
        act_range_float(act, &lo, &hi);
        for (long i = 0; i < n; i++) putf(out, i, clampf(getf(a, ma[i]) / getf(b, mb[i]), lo, hi));
        return NULL;
    }
    if (out->type == MC_INT32) {
        int32_t lo, hi;
        act_range_int32(act, &lo, &hi);
        for (long i = 0; i < n; i++) {
            int32_t x = geti(a, ma[i]), y = geti(b, mb[i]);
            if (y == 0) return "division by zero";
            if (x == INT32_MIN && y == -1) return "INT32_MIN / -1 overflows";
            puti(out, i, clampi(x / y, lo, hi));
        }
        return NULL;
    }
    if (out->type != MC_INT8) return "DIV supports float32, int32 and int8";
    int32_t lo, hi, m; int shift;
    act_range_quant(act, out, &lo, &hi);
    mc_quantize_multiplier((double) (scale0(a) / (scale0(b) * scale0(out))), &m, &shift);
    for (long i = 0; i < n; i++) {
        int32_t x = geti(a, ma[i]) - zp0(a), y = geti(b, mb[i]) - zp0(b);
        if (y == 0) return "division by a quantized zero";
        if (y < 0) { x = -x; y = -y; }
        int recip_shift;
        int32_t inv = mc_reciprocal(y, 31, &recip_shift);
        int headroom = leading_sign_bits(x);
        int32_t unscaled = mc_srdhm((int32_t) ((uint32_t) x << headroom), inv);
        int32_t r = zp0(out) + mc_mbqm_smaller_than_one(unscaled, m, shift - recip_shift - headroom);
        puti(out, i, clampi(r, lo, hi));
    }
    return NULL;
}

const char *mc_div(mc_case *c) {
    mc_tensor *a = mc_tensor_named(c, "input1"), *b = mc_tensor_named(c, "input2"), *out = mc_tensor_named(c, "output");
    if (!a || !b || !out) return "needs input1, input2 and output";
    long *ma = mc_broadcast_map(a, out), *mb = mc_broadcast_map(b, out);
    const char *e = ma && mb ? div_mapped(c, a, b, out, ma, mb) : "input shapes do not broadcast to the output";
    free(ma);
    free(mb);
    return e;
}
