/* Binary element-wise ops, broadcasting (mc_broadcast_map): ADD, SUB, MUL; SQUARED_DIFFERENCE, MAXIMUM, MINIMUM;
 * SELECT_V2. DIV is in div.c. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <stdlib.h>
#include <string.h>

/* ---- ADD / SUB / MUL ---- */
static const char *elementwise_mapped(mc_case *c, const char *op, int kind, mc_tensor *a, mc_tensor *b, mc_tensor *out, const long *ma, const long *mb) {
    (void) op;
    int act = (int) mc_attr(c, "activation", 0);
    long n = mc_elements(out);
    if (out->type == MC_FLOAT32) {
        float lo, hi;
        act_range_float(act, &lo, &hi);
        for (long i = 0; i < n; i++) {
            float x = getf(a, ma[i]), y = getf(b, mb[i]);
            putf(out, i, clampf(kind == 0 ? x + y : kind == 1 ? x - y : x * y, lo, hi));
        }
        return NULL;
    }
    if (out->type == MC_INT32) { /* plain wrapping arithmetic; MUL clamps to the activation's integer range */
        int32_t lo = INT32_MIN, hi = INT32_MAX;
        if (kind == 2) act_range_int32(act, &lo, &hi);
        for (long i = 0; i < n; i++) {
            uint32_t x = (uint32_t) geti(a, ma[i]), y = (uint32_t) geti(b, mb[i]);
            int32_t r = (int32_t) (kind == 0 ? x + y : kind == 1 ? x - y : x * y);
            puti(out, i, clampi(r, lo, hi));
        }
        return NULL;
    }
    int32_t lo, hi;
    act_range_quant(act, out, &lo, &hi);
    if (kind == 2) {
        int32_t m; int shift;
        mc_quantize_multiplier((double) scale0(a) * (double) scale0(b) / (double) scale0(out), &m, &shift);
        for (long i = 0; i < n; i++) {
            int32_t x = geti(a, ma[i]) - zp0(a), y = geti(b, mb[i]) - zp0(b);
            puti(out, i, clampi(zp0(out) + mc_mbqm(x * y, m, shift), lo, hi));
        }
        return NULL;
    }
    int left = out->type == MC_INT16 ? 15 : 20;
    double r1, r2, ro;
    if (kind == 0) {
        double twice = 2 * (double) (scale0(a) > scale0(b) ? scale0(a) : scale0(b));
        r1 = (double) scale0(a) / twice; r2 = (double) scale0(b) / twice;
        ro = twice / ((1 << left) * (double) scale0(out));
    } else { /* sub_common.cc computes in float */
        float twice = 2 * (scale0(a) > scale0(b) ? scale0(a) : scale0(b));
        r1 = (double) (scale0(a) / twice); r2 = (double) (scale0(b) / twice);
        ro = (double) (twice / ((float) (1 << left) * scale0(out)));
    }
    int32_t m1, m2, mo; int s1, s2, so;
    mc_quantize_multiplier(r1, &m1, &s1);
    mc_quantize_multiplier(r2, &m2, &s2);
    mc_quantize_multiplier(ro, &mo, &so);
    for (long i = 0; i < n; i++) {
        int32_t x = (int32_t) ((uint32_t) (geti(a, ma[i]) - zp0(a)) << left);
        int32_t y = (int32_t) ((uint32_t) (geti(b, mb[i]) - zp0(b)) << left);
        int32_t sx = mc_mbqm_smaller_than_one(x, m1, s1), sy = mc_mbqm_smaller_than_one(y, m2, s2);
        int32_t raw = kind == 0 ? sx + sy : sx - sy;
        puti(out, i, clampi(mc_mbqm_smaller_than_one(raw, mo, so) + zp0(out), lo, hi));
    }
    return NULL;
}

/* input1 and input2 broadcast to the output's shape (mc_broadcast_map) */
static const char *binary_broadcast(mc_case *c, const char *op, int kind,
                                    const char *(*f)(mc_case *, const char *, int, mc_tensor *, mc_tensor *, mc_tensor *, const long *, const long *)) {
    mc_tensor *a = mc_tensor_named(c, "input1"), *b = mc_tensor_named(c, "input2"), *out = mc_tensor_named(c, "output");
    if (!a || !b || !out) return "needs input1, input2 and output";
    long *ma = mc_broadcast_map(a, out), *mb = mc_broadcast_map(b, out);
    const char *e = ma && mb ? f(c, op, kind, a, b, out, ma, mb) : "input shapes do not broadcast to the output";
    free(ma);
    free(mb);
    return e;
}

static const char *binary_misc(mc_case *c, const char *op, int kind, mc_tensor *a, mc_tensor *b, mc_tensor *out, const long *ma, const long *mb) {
    (void) c; (void) kind;
    long n = mc_elements(out);
    if (strcmp(op, "SQUARED_DIFFERENCE")) { /* MAXIMUM / MINIMUM on raw values */
        int max = !strcmp(op, "MAXIMUM");
        for (long i = 0; i < n; i++) {
            if (out->type == MC_FLOAT32) { float x = getf(a, ma[i]), y = getf(b, mb[i]); putf(out, i, max ? (x > y ? x : y) : (x < y ? x : y)); } /* ties, NaN: input2 */
            else if (out->type == MC_INT64) { int64_t x = getl(a, ma[i]), y = getl(b, mb[i]); putl(out, i, max ? (x > y ? x : y) : (x < y ? x : y)); }
            else { int32_t x = geti(a, ma[i]), y = geti(b, mb[i]); puti(out, i, max ? (x > y ? x : y) : (x < y ? x : y)); }
        }
        return NULL;
    }
    if (out->type == MC_FLOAT32) { for (long i = 0; i < n; i++) { float d = getf(a, ma[i]) - getf(b, mb[i]); putf(out, i, d * d); } return NULL; }
    if (out->type == MC_INT32) { for (long i = 0; i < n; i++) { uint32_t d = (uint32_t) geti(a, ma[i]) - (uint32_t) geti(b, mb[i]); puti(out, i, (int32_t) (d * d)); } return NULL; }
    int left = out->type == MC_INT8 ? 7 : 0;
    double twice = 2.0 * (double) (scale0(a) > scale0(b) ? scale0(a) : scale0(b));
    int32_t m1, m2, mo; int s1, s2, so;
    mc_quantize_multiplier((double) scale0(a) / twice, &m1, &s1);
    mc_quantize_multiplier((double) scale0(b) / twice, &m2, &s2);
    mc_quantize_multiplier((twice * twice) / (double) ((float) (1 << left * 2) * scale0(out)), &mo, &so);
    for (long i = 0; i < n; i++) {
        int32_t x = (int32_t) ((uint32_t) (geti(a, ma[i]) - zp0(a)) << left), y = (int32_t) ((uint32_t) (geti(b, mb[i]) - zp0(b)) << left);
        int32_t d = mc_mbqm_smaller_than_one(x, m1, s1) - mc_mbqm_smaller_than_one(y, m2, s2);
        puti(out, i, clampi(mc_mbqm((int32_t) ((uint32_t) d * (uint32_t) d), mo, so) + zp0(out), type_min(out->type), type_max(out->type)));
    }
    return NULL;
}

const char *mc_select_v2(mc_case *c) {
    mc_tensor *cond = mc_tensor_named(c, "condition"), *x = mc_tensor_named(c, "x"), *y = mc_tensor_named(c, "y"),
              *out = mc_tensor_named(c, "output");
    if (!cond || !x || !y || !out) return "needs condition, x, y and output";
    if (out->type != MC_FLOAT32 && out->type != MC_INT8 && out->type != MC_INT16)
        return "SELECT_V2 takes float32, int8 or int16 (as TFLM's kernel)";
    long n = mc_elements(out), *mc = mc_broadcast_map(cond, out), *mx = mc_broadcast_map(x, out), *my = mc_broadcast_map(y, out);
    size_t e = mc_type_size(out->type);
    if (mc && mx && my)
        for (long i = 0; i < n; i++) {
            int take_x = cond->data[mc[i]] != 0;
            memcpy(out->data + i * e, take_x ? x->data + mx[i] * e : y->data + my[i] * e, e);
        }
    const char *err = mc && mx && my ? NULL : "input shapes do not broadcast to the output";
    free(mc); free(mx); free(my);
    return err;
}

const char *mc_add(mc_case *c) { return binary_broadcast(c, c->op, 0, elementwise_mapped); }
const char *mc_sub(mc_case *c) { return binary_broadcast(c, c->op, 1, elementwise_mapped); }
const char *mc_mul(mc_case *c) { return binary_broadcast(c, c->op, 2, elementwise_mapped); }
/* SQUARED_DIFFERENCE, MAXIMUM and MINIMUM, told apart by the case's op name */
const char *mc_binary_misc(mc_case *c) { return binary_broadcast(c, c->op, 0, binary_misc); }
