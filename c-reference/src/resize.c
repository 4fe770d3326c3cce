/* RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR with TFLM's reference arithmetic. Roles input (NHWC), size (int32
 * [height, width]), output; attrs align_corners, half_pixel_centers. */
#include "data_image_matmul.h"
#include "tensor_io.h"

/* Where output row/column o samples the input, in float: the scale is in/out, or (in-1)/(out-1) for align_corners
 * with more than one output; half-pixel centres sample at (o + 0.5) * scale - 0.5. */
static float float_scale(int in, int out, int align) {
    return align && out > 1 ? (float) (in - 1) / (float) (out - 1) : (float) in / (float) out;
}

static void float_sample(int o, float scale, int half, int size, float *at, int *lo, int *hi) {
    *at = half ? ((float) o + 0.5f) * scale - 0.5f : (float) o * scale;
    int f = (int) floorf(*at), c = (int) ceilf(*at);
    *lo = f > 0 ? f : 0;
    *hi = c < size - 1 ? c : size - 1;
}

/* The integer path's scale in 1/1024 units (rounded to nearest) and sample position. */
static int32_t scale_1024(int in, int out, int align) {
    if (align && out > 1) return (1024 * (in - 1) + (out - 1) / 2) / (out - 1);
    return (1024 * in + out / 2) / out;
}

static void int_sample(int o, int32_t scale, int half, int size, int32_t *at, int *lo, int *hi) {
    *at = half ? o * scale + scale / 2 - 512 : o * scale;
    int f = *at / 1024, c = (*at + 1023) / 1024;  /* C division truncates toward zero */
    *lo = f > 0 ? f : 0;
    *hi = c < size - 1 ? c : size - 1;
}

static const char *bilinear(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *size = mc_tensor_named(c, "size"), *out = mc_tensor_named(c, "output");
    if (!in || !size || !out || in->rank != 4 || out->rank != 4 || mc_elements(size) != 2) return "bad tensors";
    int align = mc_attr(c, "align_corners", 0) != 0, half = mc_attr(c, "half_pixel_centers", 0) != 0;
    if (align && half) return "align_corners with half_pixel_centers";
    int N = in->dims[0], H = in->dims[1], W = in->dims[2], C = in->dims[3], OH = geti(size, 0), OW = geti(size, 1);
    if (out->dims[0] != N || out->dims[1] != OH || out->dims[2] != OW || out->dims[3] != C) return "output shape differs";
    if (in->type == MC_FLOAT32) {
        float hs = float_scale(H, OH, align), ws = float_scale(W, OW, align);
        for (int b = 0; b < N; b++)
            for (int y = 0; y < OH; y++) {
                float fy; int y0, y1;
                float_sample(y, hs, half, H, &fy, &y0, &y1);
                for (int x = 0; x < OW; x++) {
                    float fx; int x0, x1;
                    float_sample(x, ws, half, W, &fx, &x0, &x1);
                    float dy = fy - (float) y0, dx = fx - (float) x0;
                    for (int ch = 0; ch < C; ch++) {
                        float v00 = getf(in, (((long) b * H + y0) * W + x0) * C + ch), v10 = getf(in, (((long) b * H + y1) * W + x0) * C + ch);
                        float v01 = getf(in, (((long) b * H + y0) * W + x1) * C + ch), v11 = getf(in, (((long) b * H + y1) * W + x1) * C + ch);
                        float v = v00 * (1.0f - dy) * (1.0f - dx) + v10 * dy * (1.0f - dx) + v01 * (1.0f - dy) * dx + v11 * dy * dx;
                        putf(out, (((long) b * OH + y) * OW + x) * C + ch, v + 0.0f);  /* TFLM adds a 0.0f rounding offset */
                    }
                }
            }
        return NULL;
    }
    if (in->type != MC_INT8) return "RESIZE_BILINEAR takes float32 and int8";
    if ((OH == 0 || OW == 0) && mc_elements(out) > 0) return "empty size";
    if (OH == 0 || OW == 0) return NULL;
    int32_t hs = scale_1024(H, OH, align), ws = scale_1024(W, OW, align);
    for (int b = 0; b < N; b++)
        for (int y = 0; y < OH; y++) {
            int32_t iy; int y0, y1;
            int_sample(y, hs, half, H, &iy, &y0, &y1);
            for (int x = 0; x < OW; x++) {
                int32_t ix; int x0, x1;
                int_sample(x, ws, half, W, &ix, &x0, &x1);
                int64_t wy1 = iy - 1024 * y0, wy0 = 1024 - wy1, wx1 = ix - 1024 * x0, wx0 = 1024 - wx1;
                for (int ch = 0; ch < C; ch++) {
                    int64_t s = geti(in, (((long) b * H + y0) * W + x0) * C + ch) * wy0 * wx0
                              + geti(in, (((long) b * H + y1) * W + x0) * C + ch) * wy1 * wx0
                              + geti(in, (((long) b * H + y0) * W + x1) * C + ch) * wy0 * wx1
                              + geti(in, (((long) b * H + y1) * W + x1) * C + ch) * wy1 * wx1;
                    int64_t q = (s + (s > 0 ? (1 << 19) : -(1 << 19))) / (1 << 20);
                    puti(out, (((long) b * OH + y) * OW + x) * C + ch, (int32_t) q);
                }
            }
        }
    return NULL;
}

/* The input row/column output row/column o copies: floor (or C round with align_corners) of the float position. */
static int nearest(int o, int in, int out, int align, int half) {
    float scale = float_scale(in, out, align), at = ((float) o + (half ? 0.5f : 0.0f)) * scale;
    int v = align ? (int) roundf(at) : (int) floorf(at);
    if (v > in - 1) v = in - 1;
    if (half && v < 0) v = 0;
    return v;
}

static const char *nearest_neighbor(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *size = mc_tensor_named(c, "size"), *out = mc_tensor_named(c, "output");
    if (!in || !size || !out || in->rank != 4 || out->rank != 4 || mc_elements(size) != 2) return "bad tensors";
    if (in->type != MC_FLOAT32 && in->type != MC_INT8 && in->type != MC_INT16) return "RESIZE_NEAREST_NEIGHBOR takes float32, int8, int16";
    int align = mc_attr(c, "align_corners", 0) != 0, half = mc_attr(c, "half_pixel_centers", 0) != 0;
    int N = in->dims[0], H = in->dims[1], W = in->dims[2], C = in->dims[3], OH = geti(size, 0), OW = geti(size, 1);
    if (out->dims[0] != N || out->dims[1] != OH || out->dims[2] != OW || out->dims[3] != C) return "output shape differs";
    size_t e = mc_type_size(in->type);
    for (int b = 0; b < N; b++)
        for (int y = 0; y < OH; y++) {
            int sy = nearest(y, H, OH, align, half);
            for (int x = 0; x < OW; x++) {
                int sx = nearest(x, W, OW, align, half);
                memcpy(out->data + ((((size_t) b * OH + y) * OW + x) * C) * e, in->data + ((((size_t) b * H + sy) * W + sx) * C) * e, C * e);
            }
        }
    return NULL;
}

int mc_run_resize(mc_case *c, const char **error) {
    if (!strcmp(c->op, "RESIZE_BILINEAR")) *error = bilinear(c);
    else if (!strcmp(c->op, "RESIZE_NEAREST_NEIGHBOR")) *error = nearest_neighbor(c);
    else return 0;
    return 1;
}
