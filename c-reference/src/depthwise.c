/* DEPTHWISE_CONV_2D (filter 1HWC, output channel m + c * multiplier): float32, int8 per-channel, int16. */
#include "kernels.h"
#include "tensor_io.h"
#include "conv_geometry.h"

const char *mc_depthwise_conv_2d(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *w = mc_tensor_named(c, "filter"), *bias = mc_tensor_named(c, "bias"),
              *out = mc_tensor_named(c, "output");
    if (!in || !w || !out) return "DEPTHWISE_CONV_2D needs input, filter and output";
    if (in->rank != 4 || w->rank != 4 || out->rank != 4) return "DEPTHWISE_CONV_2D needs 4-D tensors";
    if (bias && !bias->present) bias = NULL;
    int act = (int) mc_attr(c, "activation", 0), padding = (int) mc_attr(c, "padding", 0);
    int mult = (int) mc_attr(c, "depth_multiplier", 1);
    int sh = (int) mc_attr(c, "stride_h", 1), sw = (int) mc_attr(c, "stride_w", 1);
    int dh = (int) mc_attr(c, "dilation_h", 1), dw = (int) mc_attr(c, "dilation_w", 1);
    int batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], id = in->dims[3];
    int fh = w->dims[1], fw = w->dims[2], od = w->dims[3];
    int oh = out->dims[1], ow = out->dims[2];
    if (od != id * mult) return "output depth != input depth * depth multiplier";
    int ph = pad_before(sh, dh, ih, fh, out_size(padding, ih, fh, sh, dh));
    int pw = pad_before(sw, dw, iw, fw, out_size(padding, iw, fw, sw, dw));
    mc_output_stage stage = {0};
    const char *err = mc_output_stage_prepare(&stage, in, w, bias, out, act, od);
    if (err) return err;
    int32_t in_zp = in->type == MC_INT8 ? zp0(in) : 0;   /* the int16 kernels take no input offset */
    long pos = 0;
    for (int b = 0; b < batches; b++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ic = 0; ic < id; ic++)
                    for (int m = 0; m < mult; m++) {
                        int o = m + ic * mult;
                        float total = 0.0f;
                        int64_t acc = 0;
                        for (int ky = 0; ky < fh; ky++)
                            for (int kx = 0; kx < fw; kx++) {
                                int iy = oy * sh - ph + dh * ky, ix = ox * sw - pw + dw * kx;
                                if (ix < 0 || ix >= iw || iy < 0 || iy >= ih) continue;
                                long ii = (((long) b * ih + iy) * iw + ix) * id + ic;
                                long wi = ((long) ky * fw + kx) * od + o;
                                if (in->type == MC_FLOAT32) total += getf(in, ii) * getf(w, wi);
                                else acc += (int64_t) geti(w, wi) * (geti(in, ii) - in_zp);
                            }
                        if (in->type == MC_FLOAT32) putf(out, pos++, mc_output_stage_apply_float(&stage, total, o));
                        else puti(out, pos++, mc_output_stage_apply(&stage, acc, o));
                    }
    mc_output_stage_free(&stage);
    return NULL;
}
