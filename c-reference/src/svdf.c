/* SVDF: shift the state, write the feature projection, apply time weights, bias, rank sum, activation
 * (float32; int8 with int16 or int8 state). */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <math.h>
#include <string.h>

static float act_val_float(int act, float a) {
    switch (act) {
        case 1: return 0.0f < a ? a : 0.0f;
        case 2: { float m = a < 1.0f ? a : 1.0f; return -1.0f < m ? m : -1.0f; }
        case 3: { float m = a < 6.0f ? a : 6.0f; return 0.0f < m ? m : 0.0f; }
        case 4: return tanhf(a);
        case 5: return signbit(a) ? 1.0f : 0.0f;
        case 6: return 1.0f / (1.0f + expf(-a));
        default: return a;
    }
}

const char *mc_svdf(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *wf = mc_tensor_named(c, "weights_feature"), *wt = mc_tensor_named(c, "weights_time"),
              *bias = mc_tensor_named(c, "bias"), *state = mc_tensor_named(c, "state"), *out = mc_tensor_named(c, "output");
    if (!in || !wf || !wt || !state || !out) return "SVDF needs input, weights_feature, weights_time, state and output";
    if (bias && !bias->present) bias = NULL;
    int rank = (int) mc_attr(c, "rank", 1), act = (int) mc_attr(c, "activation", 0);
    int batch = in->dims[0], n_input = in->dims[1], n_filter = wf->dims[0], n_unit = n_filter / rank, n_memory = wt->dims[1];
    long n_state = (long) batch * n_filter * n_memory;
    /* shift the state left by one */
    size_t e = mc_type_size(state->type);
    memmove(state->data, state->data + e, (size_t) (n_state - 1) * e);
    if (in->type == MC_FLOAT32) {
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < n_filter; r++) {
                float dot = 0.0f;
                for (int k = 0; k < n_input; k++) dot += getf(wf, (long) r * n_input + k) * getf(in, (long) b * n_input + k);
                putf(state, ((long) b * n_filter + r) * n_memory + n_memory - 1, dot);
            }
        for (int b = 0; b < batch; b++) {
            for (int u = 0; u < n_unit; u++) putf(out, (long) b * n_unit + u, bias ? getf(bias, u) : 0.0f);
            for (int u = 0; u < n_unit; u++)
                for (int j = 0; j < rank; j++) {
                    int f = u * rank + j;
                    float s = 0.0f;
                    for (int m = 0; m < n_memory; m++) s += getf(wt, (long) f * n_memory + m) * getf(state, ((long) b * n_filter + f) * n_memory + m);
                    putf(out, (long) b * n_unit + u, getf(out, (long) b * n_unit + u) + s);
                }
            for (int u = 0; u < n_unit; u++) putf(out, (long) b * n_unit + u, act_val_float(act, getf(out, (long) b * n_unit + u)));
        }
        return NULL;
    }
    int32_t m1, m2; int s1, s2;
    mc_quantize_multiplier((double) (scale0(in) * scale0(wf) / scale0(state)), &m1, &s1);
    mc_quantize_multiplier((double) (scale0(state) * scale0(wt) / scale0(out)), &m2, &s2);
    int32_t smin = type_min(state->type), smax = type_max(state->type), szp = zp0(state);
    for (int b = 0; b < batch; b++)
        for (int r = 0; r < n_filter; r++) {
            int32_t dot = 0;
            for (int k = 0; k < n_input; k++) dot += geti(wf, (long) r * n_input + k) * (geti(in, (long) b * n_input + k) - zp0(in));
            dot = clampi(mc_mbqm(dot, m1, s1), smin, smax);
            puti(state, ((long) b * n_filter + r) * n_memory + n_memory - 1, szp + dot);
        }
    for (int b = 0; b < batch; b++)
        for (int u = 0; u < n_unit; u++) {
            int32_t acc = bias ? geti(bias, u) : 0;
            for (int j = 0; j < rank; j++) {
                int f = u * rank + j;
                int32_t s = 0;
                for (int m = 0; m < n_memory; m++) s += geti(wt, (long) f * n_memory + m) * (geti(state, ((long) b * n_filter + f) * n_memory + m) - szp);
                acc += s;
            }
            puti(out, (long) b * n_unit + u, clampi(mc_mbqm(acc, m2, s2) + zp0(out), -128, 127));
        }
    return NULL;
}
