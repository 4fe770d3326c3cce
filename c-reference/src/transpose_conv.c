/* TRANSPOSE_CONV: scatter input * filter into accumulators, then bias, requantize, activation. */
#include "kernels.h"
#include "tensor_io.h"
#include "conv_geometry.h"
#include <stdlib.h>

const char *mc_transpose_conv(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *w = mc_tensor_named(c, "filter"), *bias = mc_tensor_named(c, "bias"),
              *out = mc_tensor_named(c, "output");
    if (!in || !w || !out || in->rank != 4 || w->rank != 4 || out->rank != 4) return "TRANSPOSE_CONV needs 4-D input, filter, output";
    if (bias && !bias->present) bias = NULL;
    int act = (int) mc_attr(c, "activation", 0), padding = (int) mc_attr(c, "padding", 0);
    int sh = (int) mc_attr(c, "stride_h", 1), sw = (int) mc_attr(c, "stride_w", 1);
    int batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], ic = in->dims[3];
    int oc = w->dims[0], fh = w->dims[1], fw = w->dims[2];
    int oh = out->dims[1], ow = out->dims[2];
    int ph = pad_before(sh, 1, oh, fh, out_size(padding, oh, fh, sh, 1));
    int pw = pad_before(sw, 1, ow, fw, out_size(padding, ow, fw, sw, 1));
    long n = mc_elements(out);
    float *facc = calloc((size_t) n + 1, sizeof(float));
    int64_t *iacc = calloc((size_t) n + 1, sizeof(int64_t));
    if (!facc || !iacc) { free(facc); free(iacc); return "out of memory"; }
    for (int b = 0; b < batches; b++)
        for (int y = 0; y < ih; y++)
            for (int x = 0; x < iw; x++)
                for (int c0 = 0; c0 < ic; c0++) {
                    long ii = (((long) b * ih + y) * iw + x) * ic + c0;
                    for (int ky = 0; ky < fh; ky++)
                        for (int kx = 0; kx < fw; kx++)
                            for (int o = 0; o < oc; o++) {
                                int oy = y * sh - ph + ky, ox = x * sw - pw + kx;
                                if (ox < 0 || ox >= ow || oy < 0 || oy >= oh) continue;
                                long oi = (((long) b * oh + oy) * ow + ox) * oc + o;
                                long wi = (((long) o * fh + ky) * fw + kx) * ic + c0;
                                if (in->type == MC_FLOAT32) facc[oi] += getf(in, ii) * getf(w, wi);
                                else if (in->type == MC_INT8) iacc[oi] = (int32_t) ((uint32_t) iacc[oi] + (uint32_t) ((geti(in, ii) - zp0(in)) * geti(w, wi)));
                                else iacc[oi] += (int64_t) geti(in, ii) * geti(w, wi);
                            }
                }
    mc_output_stage stage = {0};
    const char *err = mc_output_stage_prepare(&stage, in, w, bias, out, act, oc);
    if (err) { free(facc); free(iacc); return err; }
    for (long i = 0; i < n; i++) {
        int o = (int) (i % oc);
        if (in->type == MC_FLOAT32) putf(out, i, mc_output_stage_apply_float(&stage, facc[i], o));   /* sums never -0 */
        else puti(out, i, mc_output_stage_apply(&stage, iacc[i], o));
    }
    free(facc); free(iacc);
    mc_output_stage_free(&stage);
    return NULL;
}
