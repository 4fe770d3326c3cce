#include "kernels.h"
#include "fixedpoint.h"
#include "lstm.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tensor_io.h"

/* ---- FULLY_CONNECTED ---- */
static const char *fully_connected(mc_case *c) {
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

/* ---- ADD / SUB / MUL, broadcasting ---- */
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

/* ---- CONV_2D (NHWC input, OHWI filter, grouped) ---- */
static int out_size(int padding, int in, int filter, int stride, int dilation) {
    int eff = (filter - 1) * dilation + 1;
    if (stride == 0) return 0;
    return padding == 0 ? (in + stride - 1) / stride : (in + stride - eff) / stride;  /* 0 SAME, 1 VALID */
}

static int pad_before(int stride, int dilation, int in, int filter, int out) {
    int eff = (filter - 1) * dilation + 1;
    int total = (out - 1) * stride + eff - in;
    return total > 0 ? total / 2 : 0;
}

static const char *conv_2d(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *w = mc_tensor_named(c, "filter"), *bias = mc_tensor_named(c, "bias"),
              *out = mc_tensor_named(c, "output");
    if (!in || !w || !out) return "CONV_2D needs input, filter and output";
    if (in->rank != 4 || w->rank != 4 || out->rank != 4) return "CONV_2D needs 4-D tensors";
    if (bias && !bias->present) bias = NULL;
    int act = (int) mc_attr(c, "activation", 0), padding = (int) mc_attr(c, "padding", 0);
    int sh = (int) mc_attr(c, "stride_h", 1), sw = (int) mc_attr(c, "stride_w", 1);
    int dh = (int) mc_attr(c, "dilation_h", 1), dw = (int) mc_attr(c, "dilation_w", 1);
    int batches = in->dims[0], ih = in->dims[1], iw = in->dims[2], id = in->dims[3];
    int oc_n = w->dims[0], fh = w->dims[1], fw = w->dims[2], fd = w->dims[3];
    int oh = out->dims[1], ow = out->dims[2];
    if (fd <= 0 || id % fd) return "input depth is not a multiple of the filter depth";
    int groups = id / fd, per_group = oc_n / groups;
    int ph = pad_before(sh, dh, ih, fh, out_size(padding, ih, fh, sh, dh));
    int pw = pad_before(sw, dw, iw, fw, out_size(padding, iw, fw, sw, dw));
    float flo = 0, fhi = 0;
    int32_t lo = 0, hi = 0;
    if (in->type == MC_FLOAT32) act_range_float(act, &flo, &fhi); else act_range_quant(act, out, &lo, &hi);
    long pos = 0;
    for (int b = 0; b < batches; b++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int o = 0; o < oc_n; o++) {
                    int g = o / per_group;
                    float total = 0.0f;
                    int32_t acc32 = 0;
                    int64_t acc64 = 0;
                    for (int ky = 0; ky < fh; ky++) {
                        int iy = oy * sh - ph + dh * ky;
                        for (int kx = 0; kx < fw; kx++) {
                            int ix = ox * sw - pw + dw * kx;
                            if (ix < 0 || ix >= iw || iy < 0 || iy >= ih) continue;
                            for (int ic = 0; ic < fd; ic++) {
                                long ii = (((long) b * ih + iy) * iw + ix) * id + g * fd + ic;
                                long wi = (((long) o * fh + ky) * fw + kx) * fd + ic;
                                if (in->type == MC_FLOAT32) total += getf(in, ii) * getf(w, wi);
                                else if (in->type == MC_INT8) acc32 += geti(w, wi) * (geti(in, ii) - zp0(in));
                                else acc64 += (int64_t) geti(w, wi) * geti(in, ii);
                            }
                        }
                    }
                    if (in->type == MC_FLOAT32) {
                        putf(out, pos++, clampf(total + (bias ? getf(bias, o) : 0.0f), flo, fhi));
                        continue;
                    }
                    int32_t m; int shift;
                    float ws = w->nscale > 1 ? w->scales[o] : scale0(w);
                    mc_quantize_multiplier((double) scale0(in) * (double) ws / (double) scale0(out), &m, &shift);
                    int32_t r;
                    if (in->type == MC_INT8) {
                        if (bias) acc32 += geti(bias, o);
                        r = mc_mbqm(acc32, m, shift) + zp0(out);
                    } else if (bias && bias->type == MC_INT32) {
                        r = mc_mbqm((int32_t) acc64 + geti(bias, o), m, shift);
                    } else {
                        if (bias) acc64 += getl(bias, o);
                        r = mc_mbqm64(acc64, m, shift);
                    }
                    puti(out, pos++, clampi(r, lo, hi));
                }
    return NULL;
}

/* ---- DEPTHWISE_CONV_2D (filter 1HWC, output channel m + c * multiplier) ---- */
static const char *depthwise_conv_2d(mc_case *c) {
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
    float flo = 0, fhi = 0;
    int32_t lo = 0, hi = 0;
    if (in->type == MC_FLOAT32) act_range_float(act, &flo, &fhi); else act_range_quant(act, out, &lo, &hi);
    long pos = 0;
    for (int b = 0; b < batches; b++)
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int ic = 0; ic < id; ic++)
                    for (int m = 0; m < mult; m++) {
                        int o = m + ic * mult;
                        float total = 0.0f;
                        int32_t acc32 = 0;
                        int64_t acc64 = 0;
                        for (int ky = 0; ky < fh; ky++)
                            for (int kx = 0; kx < fw; kx++) {
                                int iy = oy * sh - ph + dh * ky, ix = ox * sw - pw + dw * kx;
                                if (ix < 0 || ix >= iw || iy < 0 || iy >= ih) continue;
                                long ii = (((long) b * ih + iy) * iw + ix) * id + ic;
                                long wi = ((long) ky * fw + kx) * od + o;
                                if (in->type == MC_FLOAT32) total += getf(in, ii) * getf(w, wi);
                                else if (in->type == MC_INT8) acc32 += geti(w, wi) * (geti(in, ii) - zp0(in));
                                else acc64 += (int64_t) geti(w, wi) * geti(in, ii);
                            }
                        if (in->type == MC_FLOAT32) {
                            putf(out, pos++, clampf(total + (bias ? getf(bias, o) : 0.0f), flo, fhi));
                            continue;
                        }
                        int32_t mq; int shift;
                        float ws = w->nscale > 1 ? w->scales[o] : scale0(w);
                        mc_quantize_multiplier((double) scale0(in) * (double) ws / (double) scale0(out), &mq, &shift);
                        int32_t r;
                        if (in->type == MC_INT8) {
                            if (bias) acc32 += geti(bias, o);
                            r = mc_mbqm(acc32, mq, shift) + zp0(out);
                        } else {
                            if (bias) acc64 += getl(bias, o);
                            r = mc_mbqm64(acc64, mq, shift);
                        }
                        puti(out, pos++, clampi(r, lo, hi));
                    }
    return NULL;
}

/* ---- AVERAGE_POOL_2D / MAX_POOL_2D (window clipped to the image) ---- */
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

/* ---- activations: LOGISTIC, TANH (float via libm, int8 via fixed point, int16 in act16.c), RELU, RELU6, LEAKY_RELU ---- */
static const char *activation(mc_case *c, const char *op) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    int logistic = !strcmp(op, "LOGISTIC"), tanh_op = !strcmp(op, "TANH");
    if (in->type == MC_FLOAT32) {
        float alpha = (float) mc_attr(c, "alpha", 0.0);
        for (long i = 0; i < n; i++) {
            float x = getf(in, i), r;
            if (logistic) r = x > 16.619047164916992188f ? 1.0f : x < -9.f ? expf(x) : 1.f / (1.f + expf(-x));
            else if (tanh_op) r = tanhf(x);
            else if (!strcmp(op, "RELU")) r = x < 0.0f ? 0.0f : x;
            else if (!strcmp(op, "RELU6")) r = x > 6.0f ? 6.0f : x < 0.0f ? 0.0f : x;
            else r = x > 0 ? x : x * alpha;
            putf(out, i, r);
        }
        return NULL;
    }
    if (in->type == MC_INT16 && (logistic || tanh_op)) return mc_sigmoid_int16(c, tanh_op);
    if (in->type != MC_INT8 && in->type != MC_INT16) return "the C reference covers float32, int8 and int16 activations";
    if (in->type == MC_INT16 && (zp0(in) != 0 || zp0(out) != 0) && strcmp(op, "RELU6") && strcmp(op, "LEAKY_RELU"))
        return "int16 RELU needs zero points 0";
    int32_t izp = zp0(in), ozp = zp0(out), tmin = type_min(in->type), tmax = type_max(in->type);
    if (logistic || tanh_op) {
        double real = (double) scale0(in) * (double) (1 << 27);
        int shift;
        double q = frexp(real, &shift);
        int32_t mult = (int32_t) round(q * (double) (1LL << 31));
        int32_t radius = mc_input_radius(4, shift);
        for (long i = 0; i < n; i++) {
            int32_t x = geti(in, i) - izp, r;
            if (x <= -radius) r = -128;
            else if (x >= radius) r = 127;
            else {
                int32_t q4 = mc_mbqm(x, mult, shift);
                r = logistic ? mc_rdbpot(mc_logistic(q4, 4), 23) - 128 : mc_rdbpot(mc_tanh(q4, 4), 24);
                r = clampi(r, -128, 127);
            }
            puti(out, i, r);
        }
        return NULL;
    }
    if (!strcmp(op, "RELU6")) {
        int32_t six = (int32_t) (roundf(6.0f / scale0(in)) + (float) izp);
        six = clampi(six, tmin, tmax);
        for (long i = 0; i < n; i++) { int32_t v = geti(in, i); puti(out, i, v > six ? six : v < izp ? izp : v); }
        return NULL;
    }
    if (!strcmp(op, "RELU")) {
        int32_t m; int shift;
        mc_quantize_multiplier((double) (scale0(in) / scale0(out)), &m, &shift);
        int32_t lo = ozp + (int32_t) roundf(0.0f / scale0(out));
        if (lo < tmin) lo = tmin;
        for (long i = 0; i < n; i++) puti(out, i, clampi(ozp + mc_mbqm(geti(in, i) - izp, m, shift), lo, tmax));
        return NULL;
    }
    /* LEAKY_RELU */
    float alpha = (float) mc_attr(c, "alpha", 0.0);
    int32_t ma, mi; int sa, si;
    mc_quantize_multiplier((double) (scale0(in) * alpha / scale0(out)), &ma, &sa);
    mc_quantize_multiplier((double) (scale0(in) / scale0(out)), &mi, &si);
    for (long i = 0; i < n; i++) {
        int32_t v = geti(in, i) - izp, r = ozp;
        if (v >= 0) r += mc_mbqm(v, mi, si);
        else { int32_t s2 = mc_mbqm(v, ma < 0 ? -ma : ma, sa); r += ma < 0 ? -s2 : s2; }
        puti(out, i, clampi(r, tmin, tmax));
    }
    return NULL;
}

/* ---- SOFTMAX over the last dimension: float via libm expf, int8 via fixed point, int16 via tables (act16.c) ---- */
static const char *softmax(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    float beta = (float) mc_attr(c, "beta", 1.0);
    int depth = in->dims[in->rank - 1];
    long outer = depth ? mc_elements(in) / depth : 0;
    if (in->type == MC_FLOAT32) {
        for (long i = 0; i < outer; i++) {
            float max = -FLT_MAX, sum = 0.0f;
            for (int k = 0; k < depth; k++) { float v = getf(in, i * depth + k); max = max < v ? v : max; }
            for (int k = 0; k < depth; k++) {
                float e = expf((getf(in, i * depth + k) - max) * beta);
                putf(out, i * depth + k, e);
                sum += e;
            }
            for (int k = 0; k < depth; k++) putf(out, i * depth + k, getf(out, i * depth + k) / sum);
        }
        return NULL;
    }
    if (in->type == MC_INT16) return mc_softmax_int16(c);
    if (in->type != MC_INT8) return "the C reference covers float32, int8 and int16 softmax";
    double real = (double) beta * (double) scale0(in) * (double) (1 << 26);
    if (real > (double) ((1LL << 31) - 1)) real = (double) ((1LL << 31) - 1);
    int32_t m; int shift;
    mc_quantize_multiplier(real, &m, &shift);
    int32_t diff_min = (int32_t) (-1.0 * mc_input_radius(5, shift));
    int out16 = out->type == MC_INT16;
    int32_t omin = out16 ? -32768 : -128, omax = out16 ? 32767 : 127;
    for (long i = 0; i < outer; i++) {
        int32_t max = -128, sum = 0;
        for (int k = 0; k < depth; k++) { int32_t v = geti(in, i * depth + k); if (v > max) max = v; }
        for (int k = 0; k < depth; k++) {
            int32_t d = geti(in, i * depth + k) - max;
            if (d >= diff_min) {
                int32_t scaled = mc_srdhm((int32_t) ((uint32_t) d << shift), m);
                sum = (int32_t) ((uint32_t) sum + (uint32_t) mc_srmbpot(mc_exp_on_negative_values(scaled, 5), -12));
            }
        }
        int bits;
        int32_t recip = mc_reciprocal(sum, 12, &bits);
        int exponent = bits + 31 - (out16 ? 16 : 8);
        for (int k = 0; k < depth; k++) {
            int32_t d = geti(in, i * depth + k) - max, v = omin;
            if (d >= diff_min) {
                int32_t scaled = mc_srdhm((int32_t) ((uint32_t) d << shift), m);
                int32_t e = mc_exp_on_negative_values(scaled, 5);
                v = clampi(mc_rdbpot(mc_srdhm(recip, e), exponent) + omin, omin, omax);
            }
            puti(out, i * depth + k, v);
        }
    }
    return NULL;
}

/* ---- QUANTIZE / DEQUANTIZE ---- */
static const char *quantize(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    int32_t lo = type_min(out->type), hi = type_max(out->type), ozp = zp0(out);
    if (in->type == MC_FLOAT32) {
        float scale = scale0(out);
        for (long i = 0; i < n; i++) {
            float q = roundf(getf(in, i) / scale);
            int32_t v = (q >= -2147483648.0f && q < 2147483648.0f) ? (int32_t) q : INT32_MIN;
            puti(out, i, clampi((int32_t) ((uint32_t) v + (uint32_t) ozp), lo, hi));
        }
        return NULL;
    }
    int32_t m; int shift;
    mc_quantize_multiplier((double) scale0(in) / (double) scale0(out), &m, &shift);
    for (long i = 0; i < n; i++) puti(out, i, clampi(mc_mbqm(geti(in, i) - zp0(in), m, shift) + ozp, lo, hi));
    return NULL;
}

static const char *dequantize(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    double scale = scale0(in);
    for (long i = 0; i < n; i++) putf(out, i, (float) (scale * (geti(in, i) - zp0(in))));
    return NULL;
}

/* ---- TRANSPOSE_CONV: scatter input * filter into accumulators, then bias, requantize, activation ---- */
static const char *transpose_conv(mc_case *c) {
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
    float flo = 0, fhi = 0;
    int32_t lo = 0, hi = 0;
    if (in->type == MC_FLOAT32) act_range_float(act, &flo, &fhi); else act_range_quant(act, out, &lo, &hi);
    for (long i = 0; i < n; i++) {
        int o = (int) (i % oc);
        if (in->type == MC_FLOAT32) {
            float v = facc[i];
            if (bias) v += getf(bias, o);
            putf(out, i, clampf(v, flo, fhi));
            continue;
        }
        int32_t m; int shift;
        float ws = w->nscale > 1 ? w->scales[o] : scale0(w);
        mc_quantize_multiplier((double) scale0(in) * (double) ws / (double) scale0(out), &m, &shift);
        int32_t r;
        if (in->type == MC_INT8) {
            int32_t a = (int32_t) iacc[i];
            if (bias) a += geti(bias, o);
            r = mc_mbqm(a, m, shift) + zp0(out);
        } else {
            int64_t a = iacc[i];
            if (bias) a += bias->type == MC_INT64 ? getl(bias, o) : geti(bias, o);
            r = mc_mbqm64(a, m, shift);
        }
        puti(out, i, clampi(r, lo, hi));
    }
    free(facc); free(iacc);
    return NULL;
}

/* ---- MEAN / SUM over the axes in attr axis0..axis3 (count in attr axes) ---- */
static const char *reduce(mc_case *c, int mean) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    int rank = in->rank, naxes = (int) mc_attr(c, "axes", 0), reduced[MC_MAX_RANK] = {0};
    for (int k = 0; k < naxes; k++) {
        char name[16];
        snprintf(name, sizeof name, "axis%d", k);
        int a = (int) mc_attr(c, name, 0);
        if (a < 0) a += rank;
        if (a < 0 || a >= rank) return "axis out of range";
        reduced[a] = 1;
    }
    long n_in = mc_elements(in), n_out = mc_elements(out), count = 1;
    for (int d = 0; d < rank; d++) if (reduced[d]) count *= in->dims[d];
    int keep = (int) mc_attr(c, "keep_dims", 0);
    int idx[MC_MAX_RANK] = {0};
    if (in->type == MC_FLOAT32) {
        for (long i = 0; i < n_out; i++) putf(out, i, 0.0f);
        if (mean && keep && rank == 4 && naxes == 2 && reduced[1] && reduced[2]) {
            int b = in->dims[0], h = in->dims[1], w = in->dims[2], dd = in->dims[3];
            for (int ob = 0; ob < b; ob++)
                for (int od = 0; od < dd; od++) {
                    float v = 0;
                    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) v += getf(in, (((long) ob * h + y) * w + x) * dd + od);
                    putf(out, (long) ob * dd + od, v / (w * h));
                }
            return NULL;
        }
    }
    int64_t *acc = calloc((size_t) n_out + 1, sizeof(int64_t));
    if (!acc) return "out of memory";
    for (long i = 0; i < n_in; i++) {
        long o = 0;
        for (int d = 0; d < rank; d++) if (!reduced[d]) o = o * in->dims[d] + idx[d];
        if (in->type == MC_FLOAT32) putf(out, o, getf(in, i) + getf(out, o));
        else acc[o] = (int32_t) ((uint32_t) acc[o] + (uint32_t) geti(in, i));
        for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < in->dims[d]) break; idx[d] = 0; }
    }
    if (in->type == MC_FLOAT32) {
        if (mean && count > 0) for (long i = 0; i < n_out; i++) putf(out, i, getf(out, i) / (float) count);
        free(acc);
        return NULL;
    }
    int32_t m; int shift;
    mc_quantize_multiplier((double) scale0(in) / (double) scale0(out), &m, &shift);
    if (mean) {
        int s2 = 63 - __builtin_clzll((unsigned long long) count);
        if (s2 > 32) s2 = 32;
        if (s2 > 31 + shift) s2 = 31 + shift;
        m = (int32_t) (((int64_t) m << s2) / count);
        shift -= s2;
    }
    for (long i = 0; i < n_out; i++) {
        int32_t shifted = (int32_t) (acc[i] - (int64_t) zp0(in) * count);
        puti(out, i, clampi(mc_mbqm(shifted, m, shift) + zp0(out), type_min(out->type), type_max(out->type)));
    }
    free(acc);
    return NULL;
}

/* ---- SQUARED_DIFFERENCE, MAXIMUM, MINIMUM, broadcasting ---- */
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

/* ---- data movement ---- */
static const char *copy_op(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->bytes != out->bytes) return "input and output sizes differ";
    memcpy(out->data, in->data, in->bytes);
    return NULL;
}

static const char *transpose(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    int rank = in->rank, perm[MC_MAX_RANK], idx[MC_MAX_RANK] = {0};
    long stride[MC_MAX_RANK];
    for (int d = rank - 1, s2 = 1; d >= 0; d--) { stride[d] = s2; s2 *= in->dims[d]; }
    for (int d = 0; d < rank; d++) {
        char name[16];
        snprintf(name, sizeof name, "perm%d", d);
        perm[d] = (int) mc_attr(c, name, d);
        if (perm[d] < 0 || perm[d] >= rank) return "bad perm";
    }
    size_t e = mc_type_size(in->type);
    long n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        long src = 0;
        for (int d = 0; d < rank; d++) src += idx[d] * stride[perm[d]];
        memcpy(out->data + i * e, in->data + src * e, e);
        for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < out->dims[d]) break; idx[d] = 0; }
    }
    return NULL;
}

static const char *pad(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *pads = mc_tensor_named(c, "paddings"), *cv = mc_tensor_named(c, "constant"),
              *out = mc_tensor_named(c, "output");
    if (!in || !pads || !out) return "needs input, paddings and output";
    if (cv && !cv->present) cv = NULL;
    int rank = in->rank, before[MC_MAX_RANK], idx[MC_MAX_RANK] = {0};
    for (int d = 0; d < rank; d++) before[d] = geti(pads, 2 * d);
    size_t e = mc_type_size(in->type);
    long n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        int inside = 1;
        long src = 0;
        for (int d = 0; d < rank; d++) {
            int k = idx[d] - before[d];
            if (k < 0 || k >= in->dims[d]) inside = 0;
            src = src * in->dims[d] + k;
        }
        if (inside) memcpy(out->data + i * e, in->data + src * e, e);
        else if (cv) memcpy(out->data + i * e, cv->data, e);
        else if (in->type == MC_INT8) out->data[i] = (unsigned char) (int8_t) zp0(out);
        else memset(out->data + i * e, 0, e);
        for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < out->dims[d]) break; idx[d] = 0; }
    }
    return NULL;
}

static const char *concatenation(mc_case *c) {
    mc_tensor *out = mc_tensor_named(c, "output");
    if (!out) return "needs output";
    int axis = (int) mc_attr(c, "axis", 0);
    if (axis < 0) axis += out->rank;
    long outer = 1, inner = 1;
    for (int d = 0; d < axis; d++) outer *= out->dims[d];
    for (int d = axis + 1; d < out->rank; d++) inner *= out->dims[d];
    size_t e = mc_type_size(out->type), pos = 0;
    for (long k = 0; k < outer; k++)
        for (int i = 0; i < c->ntensors; i++) {
            mc_tensor *t = &c->tensors[i];
            if (strncmp(t->name, "input", 5) || !t->present) continue;
            size_t bytes = (size_t) t->dims[axis] * inner * e;
            memcpy(out->data + pos, t->data + k * bytes, bytes);
            pos += bytes;
        }
    return pos == out->bytes ? NULL : "inputs do not fill the output";
}

/* int8 HARD_SWISH: the input rescaled to Q0.15 ("hires"), a ReLU6-like ramp mapped onto [-1, 1] in Q0.15 and halved
 * into [0, 1], multiplied (non-rounding) by the rescaled input; both multipliers are reduced to 16 bits. */
static int16_t sat16(int64_t v) { return (int16_t) (v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v); }
static int16_t srdhm16(int16_t a, int16_t b) {
    if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
    int32_t ab = (int32_t) a * b, nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
    return (int16_t) ((ab + nudge) / (1 << 15));
}
static int16_t rdbpot16(int16_t x, int e) {
    int32_t mask = (1 << e) - 1, rem = x & mask, threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (int16_t) ((x >> e) + (rem > threshold ? 1 : 0));
}
static int16_t to16_multiplier(int32_t m) { return m >= INT32_MAX - (1 << 15) ? INT16_MAX : (int16_t) ((m + (1 << 15)) >> 16); }

static const char *hard_swish_int8(mc_tensor *in, mc_tensor *out) {
    float hires_scale = (1.0f / 128.0f) * scale0(in);
    int32_t om, rm; int oe, re;
    mc_quantize_multiplier((double) (hires_scale / scale0(out)), &om, &oe);
    if (oe > 0) return "output multiplier exponent above 0";
    mc_quantize_multiplier((double) (hires_scale / (3.0f / 32768.0f)), &rm, &re);
    int16_t om16 = to16_multiplier(om), rm16 = to16_multiplier(rm);
    int32_t izp = zp0(in), ozp = zp0(out);
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        int16_t hires = (int16_t) ((int16_t) (geti(in, i) - izp) * 128);
        int16_t scaled_in = srdhm16(hires, om16), ramp = hires;
        if (re > 0) ramp = sat16((int64_t) ramp * ((int64_t) 1 << (re - 1)));
        ramp = srdhm16(ramp, rm16);
        if (re > 0) ramp = sat16((int64_t) ramp * 2);
        if (re < 0) ramp = rdbpot16(ramp, -re);
        ramp = (int16_t) ((ramp + (1 << 15)) >> 1);
        int16_t prod = (ramp == INT16_MIN && scaled_in == INT16_MIN) ? INT16_MAX
                : (int16_t) (((int32_t) ramp * scaled_in) / (1 << 15));
        int32_t o = (int16_t) (rdbpot16(prod, -oe) + ozp);
        puti(out, i, clampi(o, -128, 127));
    }
    return NULL;
}

/* int8/int16 RSQRT: 1/sqrt(input - zero point) by Newton iterations in Q3.28, then the output multiplier
 * 1 / (sqrt(input scale) * output scale), with 20 bits of headroom between the two steps. */
static const char *rsqrt_quantized(mc_tensor *in, mc_tensor *out) {
    int32_t izp = zp0(in), ozp = zp0(out), lo = type_min(in->type), hi = type_max(in->type);
    if (in->type == MC_INT16 && (izp != 0 || ozp != 0)) return "int16 RSQRT needs zero points 0";
    int32_t m; int e;
    mc_quantize_multiplier(1.0 / (double) (sqrtf(scale0(in)) * scale0(out)), &m, &e);
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        int32_t q = geti(in, i), r;
        if (q < izp) return "Rsqrt is only defined for positive values";
        if (q == izp) r = hi;
        else {
            int32_t im; int ie;
            mc_inv_sqrt(q - izp, -1, &im, &ie);
            r = mc_mbqm(mc_mbqm(1, im, ie + 20), m, e - 20) + ozp;
        }
        puti(out, i, clampi(r, lo, hi));
    }
    return NULL;
}

static const char *unary_float(mc_case *c, const char *op) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    if (in->type != MC_FLOAT32) {
        if (!strcmp(op, "HARD_SWISH") && in->type == MC_INT8 && out->type == MC_INT8) return hard_swish_int8(in, out);
        if (!strcmp(op, "RSQRT") && (in->type == MC_INT8 || in->type == MC_INT16) && out->type == in->type) return rsqrt_quantized(in, out);
        if (strcmp(op, "ABS")) return "the C reference covers float32 only for this op";
        int32_t izp = zp0(in), ozp = zp0(out), lo = type_min(in->type), hi = type_max(in->type);
        int rescale = scale0(in) != scale0(out);
        int32_t m = 0; int shift = 0;
        if (rescale) mc_quantize_multiplier((double) (scale0(in) / scale0(out)), &m, &shift);
        for (long i = 0; i < n; i++) {
            int32_t v = geti(in, i) - izp;
            if (v < 0) v = -v;
            if (in->type == MC_INT16 && !in->nscale) { puti(out, i, (int16_t) v); continue; } /* raw int16: -32768 wraps */
            puti(out, i, clampi(rescale ? mc_mbqm(v, m, shift) + ozp : v + ozp, lo, hi));
        }
        return NULL;
    }
    for (long i = 0; i < n; i++) {
        float x = getf(in, i), r;
        if (!strcmp(op, "ABS")) r = fabsf(x);
        else if (!strcmp(op, "NEG")) r = -x;
        else if (!strcmp(op, "FLOOR")) r = floorf(x);
        else if (!strcmp(op, "EXP")) r = expf(x);
        else if (!strcmp(op, "SQRT")) r = sqrtf(x);
        else if (!strcmp(op, "RSQRT")) r = 1.f / sqrtf(x);
        else r = x * (6.f < (0.f < x + 3 ? x + 3 : 0.f) ? 6.f : (0.f < x + 3 ? x + 3 : 0.f)) / 6; /* HARD_SWISH */
        putf(out, i, r);
    }
    return NULL;
}

/* ---- GATHER, SLICE, PACK, SELECT_V2, ARG_MAX, CAST, STRIDED_SLICE ---- */
static const char *gather(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *pos = mc_tensor_named(c, "positions"), *out = mc_tensor_named(c, "output");
    if (!in || !pos || !out) return "needs input, positions and output";
    int rank = in->rank, axis = (int) mc_attr(c, "axis", 0), bd = (int) mc_attr(c, "batch_dims", 0);
    if (axis < 0) axis += rank;
    if (bd < 0) bd += pos->rank;
    long batch = 1, outer = 1, inner = 1, coords = 1;
    for (int d = 0; d < bd; d++) batch *= in->dims[d];
    for (int d = bd; d < axis; d++) outer *= in->dims[d];
    for (int d = axis + 1; d < rank; d++) inner *= in->dims[d];
    for (int d = bd; d < pos->rank; d++) coords *= pos->dims[d];
    size_t e = mc_type_size(in->type);
    for (long b = 0; b < batch; b++)
        for (long o = 0; o < outer; o++)
            for (long k = 0; k < coords; k++) {
                int32_t p = geti(pos, b * coords + k);
                if (p < 0 || p >= in->dims[axis]) return "position out of range";
                memcpy(out->data + (((b * outer) + o) * coords + k) * inner * e,
                       in->data + (((b * outer) + o) * in->dims[axis] + p) * inner * e, inner * e);
            }
    return NULL;
}

static long bound(const mc_tensor *t, int i) { return t->type == MC_INT64 ? (long) getl(t, i) : (long) geti(t, i); }

static const char *slice(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *b = mc_tensor_named(c, "begin"), *sz = mc_tensor_named(c, "size"),
              *out = mc_tensor_named(c, "output");
    if (!in || !b || !sz || !out) return "needs input, begin, size and output";
    int rank = in->rank, start[MC_MAX_RANK], stop[MC_MAX_RANK], idx[MC_MAX_RANK];
    long stride[MC_MAX_RANK];
    for (int d = rank - 1, s2 = 1; d >= 0; d--) { stride[d] = s2; s2 *= in->dims[d]; }
    for (int d = 0; d < rank; d++) {
        start[d] = (int) bound(b, d);
        long s3 = bound(sz, d);
        stop[d] = s3 == -1 ? in->dims[d] : start[d] + (int) s3;
        idx[d] = start[d];
    }
    size_t e = mc_type_size(in->type);
    long n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        long src = 0;
        for (int d = 0; d < rank; d++) src += idx[d] * stride[d];
        memcpy(out->data + i * e, in->data + src * e, e);
        for (int d = rank - 1; d >= 0; d--) { if (++idx[d] < stop[d]) break; idx[d] = start[d]; }
    }
    return NULL;
}

static const char *pack(mc_case *c) {
    mc_tensor *out = mc_tensor_named(c, "output");
    if (!out) return "needs output";
    int axis = (int) mc_attr(c, "axis", 0);
    if (axis < 0) axis += out->rank;
    long outer = 1;
    for (int d = 0; d < axis; d++) outer *= out->dims[d];
    size_t pos = 0;
    for (long k = 0; k < outer; k++)
        for (int i = 0; i < c->ntensors; i++) {
            mc_tensor *t = &c->tensors[i];
            if (strncmp(t->name, "input", 5) || !t->present) continue;
            size_t bytes = t->bytes / (size_t) outer;
            memcpy(out->data + pos, t->data + k * bytes, bytes);
            pos += bytes;
        }
    return pos == out->bytes ? NULL : "inputs do not fill the output";
}

static const char *select_v2(mc_case *c) {
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

static const char *arg_max(mc_case *c, int max) {
    mc_tensor *in = mc_tensor_named(c, "input"), *axis_t = mc_tensor_named(c, "axis"), *out = mc_tensor_named(c, "output");
    if (!in || !axis_t || !out) return "needs input, axis and output";
    int rank = in->rank, axis = geti(axis_t, 0);
    if (axis < 0) axis += rank;
    long outer = 1, inner = 1;
    for (int d = 0; d < axis; d++) outer *= in->dims[d];
    for (int d = axis + 1; d < rank; d++) inner *= in->dims[d];
    int size = in->dims[axis];
    for (long o = 0; o < outer; o++)
        for (long k = 0; k < inner; k++) {
            int best = 0;
            if (in->type == MC_FLOAT32) {
                float v = getf(in, o * size * inner + k);
                for (int i = 1; i < size; i++) { float w2 = getf(in, (o * size + i) * inner + k); if (!isnan(w2) && (isnan(v) || (max ? w2 > v : w2 < v))) { v = w2; best = i; } } /* NaN never wins */
            } else {
                int32_t v = geti(in, o * size * inner + k);
                for (int i = 1; i < size; i++) { int32_t w2 = geti(in, (o * size + i) * inner + k); if (max ? w2 > v : w2 < v) { v = w2; best = i; } }
            }
            puti(out, o * inner + k, best);
        }
    return NULL;
}

static const char *cast(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "needs input and output";
    long n = mc_elements(in);
    for (long i = 0; i < n; i++) {
        if (in->type == MC_FLOAT32) {
            float f = getf(in, i);
            if (out->type == MC_FLOAT32) { putf(out, i, f); continue; }
            if (out->type == MC_UINT32) { /* x86-64 converts through a 64-bit cvttss2si and keeps the low half */
                int64_t w = (f >= -9223372036854775808.0f && f < 9223372036854775808.0f) ? (int64_t) f : INT64_MIN;
                puti(out, i, (int32_t) (uint32_t) (uint64_t) w);
                continue;
            }
            int32_t v = (f >= -2147483648.0f && f < 2147483648.0f) ? (int32_t) f : INT32_MIN; /* x86 cvttss2si */
            puti(out, i, v);
        } else {
            int32_t v = in->type == MC_BOOL ? (in->data[i] != 0) : geti(in, i);
            if (out->type == MC_FLOAT32) putf(out, i, in->type == MC_UINT32 ? (float) (uint32_t) v : (float) v);
            else puti(out, i, v);
        }
    }
    return NULL;
}

static int ss_clamp(int v, int lo, int hi) { return hi < v ? hi : v < lo ? lo : v; }

static const char *strided_slice(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *bt = mc_tensor_named(c, "begin"), *et = mc_tensor_named(c, "end"),
              *st = mc_tensor_named(c, "strides"), *out = mc_tensor_named(c, "output");
    if (!in || !bt || !et || !st || !out) return "needs input, begin, end, strides and output";
    int dims = in->rank, pad = 5 - dims;
    int bm = (int) mc_attr(c, "begin_mask", 0), em = (int) mc_attr(c, "end_mask", 0), sm = (int) mc_attr(c, "shrink_axis_mask", 0);
    int shape[5], stride[5], start[5], stop[5];
    for (int i = 0; i < 5; i++) {
        int k = i - pad;
        shape[i] = k < 0 ? 1 : in->dims[k];
        stride[i] = k < 0 ? 1 : geti(st, k);
        if (stride[i] == 0) return "zero stride";
        int masked_b = k < 0 || (bm & (1 << k)), masked_e = k < 0 || (em & (1 << k)), shrink = k >= 0 && (sm & (1 << k));
        int b = k < 0 ? 0 : geti(bt, k), e = k < 0 ? 1 : geti(et, k);
        if (b < 0) b += shape[i];
        b = stride[i] > 0 ? ss_clamp(b, 0, shape[i]) : ss_clamp(b, -1, shape[i] - 1);
        if (masked_b) b = stride[i] > 0 ? 0 : shape[i] - 1;
        start[i] = b;
        if (shrink) { stop[i] = b >= shape[i] ? b : b + 1; continue; }
        if (e < 0) e += shape[i];
        e = stride[i] > 0 ? ss_clamp(e, 0, shape[i]) : ss_clamp(e, -1, shape[i] - 1);
        if (masked_e) e = stride[i] > 0 ? shape[i] : -1;
        stop[i] = e;
    }
    size_t es = mc_type_size(in->type);
    long pos = 0, n = mc_elements(out);
#define LC(i, v) (stride[i] < 0 ? (v) > stop[i] : (v) < stop[i])
    for (int a = start[0]; LC(0, a); a += stride[0])
        for (int b = start[1]; LC(1, b); b += stride[1])
            for (int cc = start[2]; LC(2, cc); cc += stride[2])
                for (int d = start[3]; LC(3, d); d += stride[3])
                    for (int e = start[4]; LC(4, e); e += stride[4]) {
                        if (pos >= n) return "slice larger than the output";
                        long src = ((((long) a * shape[1] + b) * shape[2] + cc) * shape[3] + d) * shape[4] + e;
                        memcpy(out->data + pos * es, in->data + src * es, es);
                        pos++;
                    }
#undef LC
    return pos == n ? NULL : "slice smaller than the output";
}

/* ---- SVDF: shift the state, write the feature projection, apply time weights, bias, rank sum, activation ---- */
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

static const char *svdf(mc_case *c) {
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

const char *mc_run(mc_case *c) {
    { const char *custom; if (mc_custom_op(c, &custom)) return custom; }
    if (!strcmp(c->op, "DIV")) return mc_div(c);
    if (mc_compare_logic_handles(c->op)) return mc_compare_logic(c);
    if (mc_math_ops_handles(c->op)) return mc_math_ops(c);
    if (mc_reduce_pool_handles(c->op)) return mc_reduce_pool(c);
    if (!strcmp(c->op, "SPLIT")) return mc_split(c);
    if (!strcmp(c->op, "UNPACK")) return mc_unpack(c);
    if (!strcmp(c->op, "SVDF")) return svdf(c);
    if (!strcmp(c->op, "UNIDIRECTIONAL_SEQUENCE_LSTM")) return mc_unidirectional_sequence_lstm(c);
    if (!strcmp(c->op, "GATHER")) return gather(c);
    if (!strcmp(c->op, "SLICE")) return slice(c);
    if (!strcmp(c->op, "PACK")) return pack(c);
    if (!strcmp(c->op, "SELECT_V2")) return select_v2(c);
    if (!strcmp(c->op, "ARG_MAX")) return arg_max(c, 1);
    if (!strcmp(c->op, "ARG_MIN")) return arg_max(c, 0);
    if (!strcmp(c->op, "CAST")) return cast(c);
    if (!strcmp(c->op, "STRIDED_SLICE")) return strided_slice(c);
    if (!strcmp(c->op, "RESHAPE") || !strcmp(c->op, "SQUEEZE") || !strcmp(c->op, "EXPAND_DIMS")) return copy_op(c);
    if (!strcmp(c->op, "TRANSPOSE")) return transpose(c);
    if (!strcmp(c->op, "PAD") || !strcmp(c->op, "PADV2")) return pad(c);
    if (!strcmp(c->op, "CONCATENATION")) return concatenation(c);
    if (!strcmp(c->op, "ABS") || !strcmp(c->op, "NEG") || !strcmp(c->op, "FLOOR") || !strcmp(c->op, "EXP")
            || !strcmp(c->op, "SQRT") || !strcmp(c->op, "RSQRT") || !strcmp(c->op, "HARD_SWISH")) return unary_float(c, c->op);
    if (!strcmp(c->op, "TRANSPOSE_CONV")) return transpose_conv(c);
    if (!strcmp(c->op, "MEAN")) return reduce(c, 1);
    if (!strcmp(c->op, "SUM")) return reduce(c, 0);
    if (!strcmp(c->op, "SQUARED_DIFFERENCE") || !strcmp(c->op, "MAXIMUM") || !strcmp(c->op, "MINIMUM")) return binary_broadcast(c, c->op, 0, binary_misc);
    if (!strcmp(c->op, "LOGISTIC") || !strcmp(c->op, "TANH") || !strcmp(c->op, "RELU") || !strcmp(c->op, "RELU6")
            || !strcmp(c->op, "LEAKY_RELU")) return activation(c, c->op);
    if (!strcmp(c->op, "SOFTMAX")) return softmax(c);
    if (!strcmp(c->op, "QUANTIZE")) return quantize(c);
    if (!strcmp(c->op, "DEQUANTIZE")) return dequantize(c);
    if (!strcmp(c->op, "DEPTHWISE_CONV_2D")) return depthwise_conv_2d(c);
    if (!strcmp(c->op, "AVERAGE_POOL_2D")) return pool_2d(c, 1);
    if (!strcmp(c->op, "MAX_POOL_2D")) return pool_2d(c, 0);
    if (!strcmp(c->op, "CONV_2D")) return conv_2d(c);
    if (!strcmp(c->op, "FULLY_CONNECTED")) return fully_connected(c);
    if (!strcmp(c->op, "ADD")) return binary_broadcast(c, c->op, 0, elementwise_mapped);
    if (!strcmp(c->op, "SUB")) return binary_broadcast(c, c->op, 1, elementwise_mapped);
    if (!strcmp(c->op, "MUL")) return binary_broadcast(c, c->op, 2, elementwise_mapped);
    return "unsupported op";
}
