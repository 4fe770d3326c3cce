/* Comparisons (EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL) and LOGICAL_AND / LOGICAL_OR /
 * LOGICAL_NOT with TFLite Micro's semantics. Roles: input1 input2 output (LOGICAL_NOT: input output); the output is
 * bool. Inputs broadcast against the output (mc_broadcast_map). int8 inputs are compared after each is widened by 2^8
 * and scaled by its own scale as a fixed-point multiplier below one, as TFLM's comparisons.cc does. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <stdlib.h>
#include <string.h>

enum { CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_LT, CMP_LE };

static int cmp_kind(const char *op) {
    static const char *names[] = {"EQUAL", "NOT_EQUAL", "GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL"};
    for (int k = 0; k < 6; k++) if (!strcmp(op, names[k])) return k;
    return -1;
}

/* order: -1, 0 or 1 as a < b, a == b, a > b; unordered (NaN) is 2 */
static int holds(int kind, int order) {
    switch (kind) {
        case CMP_EQ: return order == 0;
        case CMP_NE: return order != 0;
        case CMP_GT: return order == 1;
        case CMP_GE: return order == 1 || order == 0;
        case CMP_LT: return order == -1;
        default: return order == -1 || order == 0;
    }
}

static int order_f(float a, float b) { return a < b ? -1 : a > b ? 1 : a == b ? 0 : 2; }
static int order_l(int64_t a, int64_t b) { return a < b ? -1 : a > b ? 1 : 0; }

/* the int8 input's value on the common scale */
static int32_t rescaled(int8_t q, int32_t zp, int32_t m, int shift) {
    int32_t widened = (int32_t) ((uint32_t) (q - zp) << 8);
    return mc_mbqm_smaller_than_one(widened, m, shift);
}

static const char *comparison(mc_case *c, int kind) {
    mc_tensor *a = mc_tensor_named(c, "input1"), *b = mc_tensor_named(c, "input2"), *out = mc_tensor_named(c, "output");
    if (!a || !b || !out) return "needs input1, input2 and output";
    if (a->type != b->type) return "input types differ";
    if (out->type != MC_BOOL) return "the output must be bool";
    int equality = kind == CMP_EQ || kind == CMP_NE;
    if (!(a->type == MC_FLOAT32 || a->type == MC_INT32 || a->type == MC_INT64 || a->type == MC_INT8 || (equality && a->type == MC_BOOL)))
        return "type not supported by this comparison";
    int32_t m1 = 0, m2 = 0;
    int s1 = 0, s2 = 0;
    if (a->type == MC_INT8) {
        float sa = scale0(a), sb = scale0(b);
        if (!(sa > 0 && sa < 1) || !(sb > 0 && sb < 1)) return "int8 input scales must be in (0, 1)";
        mc_quantize_multiplier((double) sa, &m1, &s1);
        mc_quantize_multiplier((double) sb, &m2, &s2);
    }
    long *ma = mc_broadcast_map(a, out), *mb = mc_broadcast_map(b, out);
    if (!ma || !mb) { free(ma); free(mb); return "inputs do not broadcast to the output"; }
    long n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        int order;
        switch (a->type) {
            case MC_FLOAT32: order = order_f(getf(a, ma[i]), getf(b, mb[i])); break;
            case MC_INT64: order = order_l(getl(a, ma[i]), getl(b, mb[i])); break;
            case MC_INT8:
                order = order_l(rescaled((int8_t) geti(a, ma[i]), zp0(a), m1, s1), rescaled((int8_t) geti(b, mb[i]), zp0(b), m2, s2));
                break;
            default: order = order_l(geti(a, ma[i]), geti(b, mb[i])); break; /* int32, bool bytes */
        }
        out->data[i] = (unsigned char) holds(kind, order);
    }
    free(ma);
    free(mb);
    return NULL;
}

static const char *logical(mc_case *c, const char *op) {
    if (!strcmp(op, "LOGICAL_NOT")) {
        mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
        if (!in || !out) return "needs input and output";
        if (in->type != MC_BOOL || out->type != MC_BOOL) return "LOGICAL_NOT takes bool tensors";
        long n = mc_elements(in);
        for (long i = 0; i < n; i++) out->data[i] = in->data[i] ? 0 : 1;
        return NULL;
    }
    mc_tensor *a = mc_tensor_named(c, "input1"), *b = mc_tensor_named(c, "input2"), *out = mc_tensor_named(c, "output");
    if (!a || !b || !out) return "needs input1, input2 and output";
    if (a->type != MC_BOOL || b->type != MC_BOOL || out->type != MC_BOOL) return "logical ops take bool tensors";
    long *ma = mc_broadcast_map(a, out), *mb = mc_broadcast_map(b, out);
    if (!ma || !mb) { free(ma); free(mb); return "inputs do not broadcast to the output"; }
    int and_op = !strcmp(op, "LOGICAL_AND");
    long n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        int x = a->data[ma[i]] != 0, y = b->data[mb[i]] != 0;
        out->data[i] = (unsigned char) (and_op ? (x && y) : (x || y));
    }
    free(ma);
    free(mb);
    return NULL;
}

int mc_compare_logic_handles(const char *op) {
    return cmp_kind(op) >= 0 || !strcmp(op, "LOGICAL_AND") || !strcmp(op, "LOGICAL_OR") || !strcmp(op, "LOGICAL_NOT");
}

const char *mc_compare_logic(mc_case *c) {
    int kind = cmp_kind(c->op);
    return kind >= 0 ? comparison(c, kind) : logical(c, c->op);
}
