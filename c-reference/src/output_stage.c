/* The shared output stage of the convolution kernels (declared in tensor_io.h). */
#include "fixedpoint.h"
#include "tensor_io.h"
#include <stdlib.h>

const char *mc_output_stage_prepare(mc_output_stage *s, const mc_tensor *in, const mc_tensor *w, const mc_tensor *bias,
                                    const mc_tensor *out, int act, int channels) {
    s->type = in->type;
    s->bias = bias;
    if (in->type == MC_FLOAT32) {
        act_range_float(act, &s->flo, &s->fhi);
        return NULL;
    }
    if (w->nscale > 1 && w->nscale < channels) return "the filter has fewer per-channel scales than output channels";
    s->narrow = in->type == MC_INT16 && bias && bias->type == MC_INT32;
    s->channels = channels;
    s->out_zp = in->type == MC_INT8 ? zp0(out) : 0;   /* TFLM's int16 kernels add no output offset */
    act_range_quant(act, out, &s->lo, &s->hi);
    s->multiplier = malloc(sizeof(int32_t) * (size_t) (channels > 0 ? channels : 1));
    s->shift = malloc(sizeof(int) * (size_t) (channels > 0 ? channels : 1));
    if (!s->multiplier || !s->shift) { mc_output_stage_free(s); return "out of memory"; }
    for (int o = 0; o < channels; o++) {
        float ws = w->nscale > 1 ? w->scales[o] : scale0(w);
        mc_quantize_multiplier((double) scale0(in) * (double) ws / (double) scale0(out), &s->multiplier[o], &s->shift[o]);
    }
    return NULL;
}

int32_t mc_output_stage_apply(const mc_output_stage *s, int64_t acc, int o) {
    int32_t r;
    if (s->type == MC_INT8 || s->narrow) {
        uint32_t a = (uint32_t) acc;                   /* int32 accumulation wraps, as in TFLM */
        if (s->bias) a += (uint32_t) geti(s->bias, o);
        r = mc_mbqm((int32_t) a, s->multiplier[o], s->shift[o]) + s->out_zp;
    } else {
        if (s->bias) acc += s->bias->type == MC_INT64 ? getl(s->bias, o) : geti(s->bias, o);
        r = mc_mbqm64(acc, s->multiplier[o], s->shift[o]);
    }
    return clampi(r, s->lo, s->hi);
}

void mc_output_stage_free(mc_output_stage *s) {
    free(s->multiplier);
    free(s->shift);
    s->multiplier = NULL;
    s->shift = NULL;
}
