/* Element access and clamping shared by the kernel files (little-endian host assumed, as x86-64 and ARM are). */
#ifndef MINNOW_CREF_TENSOR_IO_H
#define MINNOW_CREF_TENSOR_IO_H
#include "spec.h"
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static inline float getf(const mc_tensor *t, long i) { float v; memcpy(&v, t->data + 4 * i, 4); return v; }
static inline void putf(mc_tensor *t, long i, float v) { memcpy(t->data + 4 * i, &v, 4); }
static inline int32_t geti(const mc_tensor *t, long i) {
    switch (t->type) {
        case MC_INT8: return (int8_t) t->data[i];
        case MC_UINT8: case MC_BOOL: return t->data[i];
        case MC_INT16: { int16_t v; memcpy(&v, t->data + 2 * i, 2); return v; }
        default: { int32_t v; memcpy(&v, t->data + 4 * i, 4); return v; }  /* int32; uint32 as its bits */
    }
}
static inline int64_t getl(const mc_tensor *t, long i) { int64_t v; memcpy(&v, t->data + 8 * i, 8); return v; }
static inline void putl(mc_tensor *t, long i, int64_t v) { memcpy(t->data + 8 * i, &v, 8); }
static inline void puti(mc_tensor *t, long i, int32_t v) {
    switch (t->type) {
        case MC_INT8: case MC_UINT8: case MC_BOOL: t->data[i] = (unsigned char) v; break;
        case MC_INT16: { int16_t s = (int16_t) v; memcpy(t->data + 2 * i, &s, 2); break; }
        default: memcpy(t->data + 4 * i, &v, 4);
    }
}
static inline int32_t type_min(mc_type t) { return t == MC_INT8 ? -128 : t == MC_UINT8 ? 0 : t == MC_INT16 ? -32768 : INT32_MIN; }
static inline int32_t type_max(mc_type t) { return t == MC_INT8 ? 127 : t == MC_UINT8 ? 255 : t == MC_INT16 ? 32767 : INT32_MAX; }
static inline float scale0(const mc_tensor *t) { return t->nscale ? t->scales[0] : 0.0f; }
static inline int32_t zp0(const mc_tensor *t) { return t->nzp ? (int32_t) t->zero_points[0] : 0; }

/* std::min(std::max(x, lo), hi) */
static inline float clampf(float x, float lo, float hi) { float y = x < lo ? lo : x; return hi < y ? hi : y; }
static inline int32_t clampi(int32_t x, int32_t lo, int32_t hi) { return x < lo ? lo : x > hi ? hi : x; }

/* Fused activation ranges (schema ActivationFunctionType: 0 none, 1 relu, 2 relu_n1_to_1, 3 relu6). */
static inline void act_range_float(int act, float *lo, float *hi) {
    *lo = -FLT_MAX; *hi = FLT_MAX;
    if (act == 1) *lo = 0.0f;
    else if (act == 3) { *lo = 0.0f; *hi = 6.0f; }
    else if (act == 2) { *lo = -1.0f; *hi = 1.0f; }
}

/* CalculateActivationRange<int32_t>: the activation's bounds as integers (int32 MUL and DIV) */
static inline void act_range_int32(int act, int32_t *lo, int32_t *hi) {
    *lo = INT32_MIN; *hi = INT32_MAX;
    if (act == 1) *lo = 0;
    else if (act == 3) { *lo = 0; *hi = 6; }
    else if (act == 2) { *lo = -1; *hi = 1; }
}

static inline int32_t quantize_bound(float f, float scale, int32_t zp) { return zp + (int32_t) roundf(f / scale); }

static inline void act_range_quant(int act, const mc_tensor *out, int32_t *lo, int32_t *hi) {
    *lo = type_min(out->type); *hi = type_max(out->type);
    float s = scale0(out); int32_t z = zp0(out);
    if (act == 1) { int32_t q = quantize_bound(0.0f, s, z); if (q > *lo) *lo = q; }
    else if (act == 3) {
        int32_t q = quantize_bound(0.0f, s, z); if (q > *lo) *lo = q;
        q = quantize_bound(6.0f, s, z); if (q < *hi) *hi = q;
    } else if (act == 2) {
        int32_t q = quantize_bound(-1.0f, s, z); if (q > *lo) *lo = q;
        q = quantize_bound(1.0f, s, z); if (q < *hi) *hi = q;
    }
}

/* Broadcasting as TFLM's NdArrayDesc: t's shape right-aligned to out's, a dimension of size 1 repeats. Returns a
 * malloc'd index into t for every output element (free it), or NULL when the shapes do not broadcast. */
long *mc_broadcast_map(const mc_tensor *t, const mc_tensor *out);

/* The output stage of CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV (output_stage.c). float32: bias and the
 * activation's clamp. int8/int16: per output channel the multiplier and shift of in_scale * filter_scale[c] /
 * out_scale (double product, as TFLM's PopulateConvolutionQuantizationParams), prepared once per call, then bias,
 * requantization, output zero point (int8 only) and the activation range applied to each accumulator. */
typedef struct {
    mc_type type;               /* the input's type: MC_FLOAT32, MC_INT8 or MC_INT16 */
    const mc_tensor *bias;      /* NULL when absent */
    int narrow;                 /* int16 with an int32 bias: int32 accumulator and the int32 MultiplyByQuantizedMultiplier */
    int channels;
    int32_t *multiplier;        /* [channels] */
    int *shift;                 /* [channels] */
    int32_t out_zp, lo, hi;
    float flo, fhi;             /* float32's activation range */
} mc_output_stage;

/* Fills s for `channels` output channels; NULL, or an error message (nothing to free then). */
const char *mc_output_stage_prepare(mc_output_stage *s, const mc_tensor *in, const mc_tensor *w, const mc_tensor *bias,
                                    const mc_tensor *out, int act, int channels);
/* The output value of channel o's accumulator: the sum of filter * (input - input zero point) products, whose low
 * 32 bits are the int32 accumulator of the int8 kernels (and of int16 with an int32 bias). */
int32_t mc_output_stage_apply(const mc_output_stage *s, int64_t acc, int o);
/* The float32 output of channel o's sum: plus the bias, clamped to the activation's range. */
static inline float mc_output_stage_apply_float(const mc_output_stage *s, float total, int o) {
    return clampf(total + (s->bias ? getf(s->bias, o) : 0.0f), s->flo, s->fhi);
}
void mc_output_stage_free(mc_output_stage *s);

#endif
