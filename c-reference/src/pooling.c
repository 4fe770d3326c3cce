/* AVERAGE_POOL_2D and MAX_POOL_2D (window clipped to the image): float32, int8, int16. */
#include "kernels.h"
#include "tensor_io.h"
#include "conv_geometry.h"

static const char *pool_2d(mc_case *c, int average) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->rank != 4 || out->rank != 4) return "pooling needs 4-D input and output";
    int act = (int) mc_attr(c, "activation", 0), padding = (int) mc_attr(c, "padding", 0);
    int sh = (int) mc_attr(c, "stride_h", 1), sw = (int) mc_attr(c, "stride_w", 1);
    int fh = (int) mc_attr(c, "filter_h", 1), fw = (int) mc_attr(c, "filter_w", 1);
    int batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], d = in->dims[3];
    int oh = out->dims[1], ow = out->dims[2];
    int ph = pad_before(sh, 1, ih, fh, out_size(padding, ih, fh, sh, 1));
    int pw = pad_before(sw, 1, iw, fw, out_size(padding, iw, fw, sw, 1));
    float flo = 0, fhi = 0;
    int32_t lo = 0, hi = 0;
    if (in->type == MC_FLOAT32) act_range_float(act, &flo, &fhi); else act_range_quant(act, out, &lo, &hi);
    long pos = 0;
    for (int b = 0; b < batches; b++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++) {
                int y0 = oy * sh - ph, x0 = ox * sw - pw;
                int fy0 = y0 < 0 ? -y0 : 0, fy1 = fh < ih - y0 ? fh : ih - y0;
                int fx0 = x0 < 0 ? -x0 : 0, fx1 = fw < iw - x0 ? fw : iw - x0;
                for (int ch = 0; ch < d; ch++) {
                    float facc = average ? 0.0f : -FLT_MAX;
                    int32_t acc = average ? 0 : type_min(in->type);
                    int count = 0;
                    for (int fy = fy0; fy < fy1; fy++)
                        for (int fx = fx0; fx < fx1; fx++) {
                            long ii = (((long) b * ih + y0 + fy) * iw + x0 + fx) * d + ch;
                            if (in->type == MC_FLOAT32) {
                                float v = getf(in, ii);
                                if (average) facc += v; else if (facc < v) facc = v;
                            } else {
                                int32_t v = geti(in, ii);
                                if (average) acc += v; else if (v > acc) acc = v;
                            }
                            count++;
                        }
                    if (in->type == MC_FLOAT32) {
                        putf(out, pos++, clampf(average ? facc / count : facc, flo, fhi));
                    } else {
                        if (average) {
                            if (count == 0) return "empty pooling window";
                            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                        }
                        puti(out, pos++, clampi(acc, lo, hi));
                    }
                }
            }
    return NULL;
}

const char *mc_average_pool_2d(mc_case *c) { return pool_2d(c, 1); }
const char *mc_max_pool_2d(mc_case *c) { return pool_2d(c, 0); }
