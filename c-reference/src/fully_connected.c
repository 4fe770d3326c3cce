/* FULLY_CONNECTED: float32; int8 weights with int8 or int16 activations, per-tensor or per-channel. */
#include "kernels.h"
#include "fixedpoint.h"
#include "tensor_io.h"

const char *mc_fully_connected(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *w = mc_tensor_named(c, "filter"), *bias = mc_tensor_named(c, "bias"),
              *out = mc_tensor_named(c, "output");
    if (!in || !w || !out) return "FULLY_CONNECTED needs input, filter and output";
    if (bias && !bias->present) bias = NULL;
    int act = (int) mc_attr(c, "activation", 0);
    int depth = out->dims[out->rank - 1];
    long batches = depth ? mc_elements(out) / depth : 0;
    int accum = w->dims[w->rank - 1];
    if (in->type == MC_FLOAT32) {
        float lo, hi;
        act_range_float(act, &lo, &hi);
        for (long b = 0; b < batches; b++)
            for (int o = 0; o < depth; o++) {
                float total = 0.0f;
                for (int d = 0; d < accum; d++) total += getf(in, b * accum + d) * getf(w, (long) o * accum + d);
                float bv = bias ? getf(bias, o) : 0.0f;
                putf(out, b * depth + o, clampf(total + bv, lo, hi));
            }
        return NULL;
    }
    int32_t lo, hi;
    act_range_quant(act, out, &lo, &hi);
    int per_channel = w->nscale > 1;
    int32_t in_off = -zp0(in), w_off = per_channel ? 0 : -zp0(w), out_off = zp0(out);
    for (int o = 0; o < depth; o++) {
        int32_t m; int shift;
        if (per_channel) {
            mc_quantize_multiplier((double) scale0(in) * (double) w->scales[o] / (double) scale0(out), &m, &shift);
        } else {
            double product = (double) (scale0(in) * scale0(w)); /* float product, then double (TFLM) */
            mc_quantize_multiplier(product / (double) scale0(out), &m, &shift);
        }
        for (long b = 0; b < batches; b++) {
            int32_t r;
            if (in->type == MC_INT8) {
                int32_t acc = 0;
                for (int d = 0; d < accum; d++) acc += (geti(w, (long) o * accum + d) + w_off) * (geti(in, b * accum + d) + in_off);
                if (bias) acc += geti(bias, o);
                r = mc_mbqm(acc, m, shift) + out_off;
            } else { /* int16 activations, int64 accumulation unless the bias is int32 */
                if (bias && bias->type == MC_INT32) {
                    int32_t acc = 0;
                    for (int d = 0; d < accum; d++) acc += (geti(w, (long) o * accum + d) + w_off) * (geti(in, b * accum + d) + in_off);
                    acc += geti(bias, o);
                    r = mc_mbqm(acc, m, shift) + out_off;
                } else {
                    int64_t acc = 0;
                    for (int d = 0; d < accum; d++) acc += (geti(w, (long) o * accum + d) + w_off) * (geti(in, b * accum + d) + in_off);
                    if (bias) acc += getl(bias, o);
                    r = mc_mbqm64(acc, m, shift) + out_off;
                }
            }
            puti(out, b * depth + o, clampi(r, lo, hi));
        }
    }
    return NULL;
}
