/* UNIDIRECTIONAL_SEQUENCE_LSTM as TFLite Micro's lstm_eval computes it, written for minnow (no TFLM code).
 *
 * Per time step: four gates (forget, input, cell, output), each the sum of an input and a recurrent fully
 * connected layer (only the input one has a bias) followed by sigmoid, or tanh for the cell gate; then
 * cell = forget * cell + input * cell_gate (optionally clipped) and hidden = output * tanh(cell), which is also
 * the step's output. Quantized, the gate pre-activations are int16 Q3.12, activated gates Q0.15 and the cell
 * state int16 at the cell_state tensor's scale (a power of two). Variants TFLM's micro kernel rejects (CIFG,
 * peephole, projection, layer normalisation) are rejected here too. */
#include "lstm.h"
#include "fixedpoint.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    IN, I2I, I2F, I2C, I2O, R2I, R2F, R2C, R2O, C2I, C2F, C2O, B_I, B_F, B_C, B_O, PROJ_W, PROJ_B, HIDDEN, CELL,
    LN_I, LN_F, LN_C, LN_O, NROLES
};

static const char *const ROLE[NROLES] = {
    "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights", "input_to_output_weights",
    "recurrent_to_input_weights", "recurrent_to_forget_weights", "recurrent_to_cell_weights",
    "recurrent_to_output_weights", "cell_to_input_weights", "cell_to_forget_weights", "cell_to_output_weights",
    "input_gate_bias", "forget_gate_bias", "cell_gate_bias", "output_gate_bias", "projection_weights",
    "projection_bias", "output_state", "cell_state", "input_layer_norm_coefficients",
    "forget_layer_norm_coefficients", "cell_layer_norm_coefficients", "output_layer_norm_coefficients",
};

/* gate g in evaluation order forget, input, cell, output: {input weights, recurrent weights, bias} */
static const int GATE[4][3] = {{I2F, R2F, B_F}, {I2I, R2I, B_I}, {I2C, R2C, B_C}, {I2O, R2O, B_O}};

/* ---- element access ---- */
static float rf(const mc_tensor *t, long i) { float v; memcpy(&v, t->data + 4 * i, 4); return v; }
static void wf(mc_tensor *t, long i, float v) { memcpy(t->data + 4 * i, &v, 4); }
static int32_t ri(const mc_tensor *t, long i) {
    switch (t->type) {
        case MC_INT8: return (int8_t) t->data[i];
        case MC_INT16: { int16_t v; memcpy(&v, t->data + 2 * i, 2); return v; }
        default: { int32_t v; memcpy(&v, t->data + 4 * i, 4); return v; }
    }
}
static int64_t rl(const mc_tensor *t, long i) { int64_t v; memcpy(&v, t->data + 8 * i, 8); return v; }
static void wi(mc_tensor *t, long i, int32_t v) {
    if (t->type == MC_INT8) t->data[i] = (unsigned char) (int8_t) v;
    else { int16_t s = (int16_t) v; memcpy(t->data + 2 * i, &s, 2); }
}
static int16_t sat16(int32_t v) { return (int16_t) (v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v); }

/* ---- int16 sigmoid/tanh: TFLite's interpolated sigmoid table (fixedpoint.c) after lstm_eval's input rescale ---- */
/* (x * multiplier + round) >> shift in wrapping 32-bit arithmetic */
static int32_t scale_input(int32_t x, int32_t multiplier, int shift) {
    uint32_t round = shift > 0 ? 1u << (shift - 1) : 0u;
    return (int32_t) ((uint32_t) x * (uint32_t) multiplier + round) >> shift;
}

static int16_t logistic16(int32_t x, int32_t multiplier, int shift) { return mc_logistic16(scale_input(x, multiplier, shift)); }

static int16_t tanh16(int32_t x, int32_t multiplier, int shift) { return mc_tanh16(scale_input(x, multiplier, shift)); }

/* lstm_eval's tanh input scaling for an input at scale 2^power: a power of two becomes multiplier 3 << shift */
static void tanh_scaling(int power, int32_t *multiplier, int *shift) {
    int left = 15 + power - 3;
    if (left < 0) { *multiplier = 3; *shift = -left; }
    else { *multiplier = (int32_t) (3u << left); *shift = 0; }
}

/* element-wise quantized multiply of two Q0.15/int16 values (zero input offsets) */
typedef struct { int32_t multiplier; int shift; int32_t zp, lo, hi; } mul_params;

static mul_params make_mul(float s1, float s2, float out_scale, mc_type out_type, int32_t zp) {
    mul_params p;
    mc_quantize_multiplier((double) s1 * (double) s2 / (double) out_scale, &p.multiplier, &p.shift);
    p.zp = zp;
    p.lo = out_type == MC_INT8 ? -128 : -32768;
    p.hi = out_type == MC_INT8 ? 127 : 32767;
    return p;
}

static int32_t mul_apply(const mul_params *p, int32_t a, int32_t b) {
    int32_t r = (int32_t) ((uint32_t) p->zp + (uint32_t) mc_mbqm(a * b, p->multiplier, p->shift));
    return r < p->lo ? p->lo : r > p->hi ? p->hi : r;
}

/* ---- the op ---- */
typedef struct {
    mc_tensor *t[NROLES], *out;
    int time_major, batch, steps, n_input, n_cell, frame;
    int quantized, wide;          /* int8/int16 activations; wide: int16 activations with int64 bias */
    float clip;
    /* quantized */
    int32_t in_mul[4], rec_mul[4]; int in_shift[4], rec_shift[4];
    int32_t input_offset, hidden_offset;
    int clip_on; int16_t qclip;
    mul_params forget_cell, input_cell, output_mul;
    int32_t cell_tanh_mul; int cell_tanh_shift;
    /* state and scratch, batch * n_cell each */
    int16_t *hq, *cq, *q0, *q1, *q2, *q3;
    float *hf, *cf, *f0, *f1, *f2, *f3;
    int32_t *x, *h32;
    float *xf;
} lstm;

/* quantized fully connected into int16 (Q3.12, zero point 0); bias may be NULL */
static void fc_q(const lstm *L, const int32_t *x, int rows, int depth, int32_t offset, const mc_tensor *w,
                 const mc_tensor *bias, int32_t multiplier, int shift, int16_t *out) {
    int units = L->n_cell;
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < units; o++) {
            const int32_t *xr = x + (long) r * depth;
            int32_t scaled;
            if (L->wide) {
                int64_t acc = 0;
                for (int d = 0; d < depth; d++) acc += ri(w, (long) o * depth + d) * (xr[d] + offset);
                if (bias) acc += rl(bias, o);
                scaled = mc_mbqm64(acc, multiplier, shift);
            } else {
                uint32_t acc = 0;   /* TFLM's int32 accumulator; wraps as the engine's does */
                for (int d = 0; d < depth; d++) acc += (uint32_t) (ri(w, (long) o * depth + d) * (xr[d] + offset));
                if (bias) acc += (uint32_t) ri(bias, o);
                scaled = mc_mbqm((int32_t) acc, multiplier, shift);
            }
            out[(long) r * units + o] = sat16(scaled);
        }
}

static void gate_q(const lstm *L, int g, int rows, const int16_t *hidden, int16_t *out, int16_t *tmp) {
    int n = rows * L->n_cell;
    fc_q(L, L->x, rows, L->n_input, L->input_offset, L->t[GATE[g][0]], L->t[GATE[g][2]], L->in_mul[g], L->in_shift[g], out);
    for (int i = 0; i < n; i++) L->h32[i] = hidden[i];
    fc_q(L, L->h32, rows, L->n_cell, L->hidden_offset, L->t[GATE[g][1]], NULL, L->rec_mul[g], L->rec_shift[g], tmp);
    for (int i = 0; i < n; i++) out[i] = sat16(out[i] + tmp[i]);
    if (g == 2) {
        int32_t m; int s;
        tanh_scaling(-12, &m, &s);
        for (int i = 0; i < n; i++) out[i] = tanh16(out[i], m, s);
    } else {
        for (int i = 0; i < n; i++) out[i] = logistic16(out[i], 3, 0);
    }
}

static float clamp_none(float x) { float y = x < -FLT_MAX ? -FLT_MAX : x; return FLT_MAX < y ? FLT_MAX : y; }

static float sigmoidf_ref(float v) {
    if (v > 16.619047164916992188f) return 1.0f;
    if (v < -9.0f) return expf(v);
    return 1.0f / (1.0f + expf(-v));
}

static void fc_f(const lstm *L, const float *x, int rows, int depth, const mc_tensor *w, const mc_tensor *bias, float *out) {
    int units = L->n_cell;
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < units; o++) {
            float total = 0.0f;
            for (int d = 0; d < depth; d++) total += x[(long) r * depth + d] * rf(w, (long) o * depth + d);
            float b = bias ? rf(bias, o) : 0.0f;
            out[(long) r * units + o] = clamp_none(total + b);
        }
}

static void gate_f(const lstm *L, int g, int rows, const float *hidden, float *out, float *tmp) {
    int n = rows * L->n_cell;
    fc_f(L, L->xf, rows, L->n_input, L->t[GATE[g][0]], L->t[GATE[g][2]], out);
    fc_f(L, hidden, rows, L->n_cell, L->t[GATE[g][1]], NULL, tmp);
    for (int i = 0; i < n; i++) out[i] = out[i] + tmp[i];
    for (int i = 0; i < n; i++) out[i] = g == 2 ? tanhf(out[i]) : sigmoidf_ref(out[i]);
}

/* element offsets of step (b, step) of frame f in the input and output */
static long input_offset(const lstm *L, int f, int b, int step) {
    long base = (long) f * L->frame * L->n_input;
    return base + (L->time_major ? (long) step * L->batch * L->n_input : ((long) b * L->steps + step) * L->n_input);
}
static long output_offset(const lstm *L, int f, int b, int step) {
    long base = (long) f * L->frame * L->n_cell;
    return base + (L->time_major ? (long) step * L->batch * L->n_cell : ((long) b * L->steps + step) * L->n_cell);
}

static void step(lstm *L, int f, int b, int s) {
    int rows = L->time_major ? L->batch : 1, n = rows * L->n_cell;
    long state = L->time_major ? 0 : (long) b * L->n_cell;
    long in0 = input_offset(L, f, b, s), out0 = output_offset(L, f, b, s);
    mc_tensor *input = L->t[IN];
    if (L->quantized) {
        for (long i = 0; i < (long) rows * L->n_input; i++) L->x[i] = ri(input, in0 + i);
        int16_t *h = L->hq + state, *c = L->cq + state;
        gate_q(L, 0, rows, h, L->q0, L->q3);
        gate_q(L, 1, rows, h, L->q1, L->q3);
        gate_q(L, 2, rows, h, L->q2, L->q3);
        for (int i = 0; i < n; i++) c[i] = (int16_t) mul_apply(&L->forget_cell, L->q0[i], c[i]);
        for (int i = 0; i < n; i++) L->q1[i] = (int16_t) mul_apply(&L->input_cell, L->q1[i], L->q2[i]);
        for (int i = 0; i < n; i++) c[i] = sat16(c[i] + L->q1[i]);
        if (L->clip_on)
            for (int i = 0; i < n; i++) {
                int16_t m = c[i] < L->qclip ? c[i] : L->qclip;          /* std::min(clip, c) */
                int16_t lo = (int16_t) -L->qclip;
                c[i] = m < lo ? lo : m;                                   /* std::max(m, -clip) */
            }
        gate_q(L, 3, rows, h, L->q1, L->q3);
        for (int i = 0; i < n; i++) L->q0[i] = tanh16(c[i], L->cell_tanh_mul, L->cell_tanh_shift);
        for (int i = 0; i < n; i++) h[i] = (int16_t) mul_apply(&L->output_mul, L->q0[i], L->q1[i]);
        for (int i = 0; i < n; i++) wi(L->out, out0 + i, h[i]);
    } else {
        for (long i = 0; i < (long) rows * L->n_input; i++) L->xf[i] = rf(input, in0 + i);
        float *h = L->hf + state, *c = L->cf + state;
        gate_f(L, 0, rows, h, L->f0, L->f3);
        gate_f(L, 1, rows, h, L->f1, L->f3);
        gate_f(L, 2, rows, h, L->f2, L->f3);
        for (int i = 0; i < n; i++) c[i] = clamp_none(L->f0[i] * c[i]);
        for (int i = 0; i < n; i++) L->f1[i] = clamp_none(L->f1[i] * L->f2[i]);
        for (int i = 0; i < n; i++) c[i] = c[i] + L->f1[i];
        if (L->clip > 0)
            for (int i = 0; i < n; i++) {
                float m = c[i] < L->clip ? c[i] : L->clip;
                c[i] = m < -L->clip ? -L->clip : m;
            }
        gate_f(L, 3, rows, h, L->f1, L->f3);
        for (int i = 0; i < n; i++) L->f0[i] = tanhf(c[i]);
        for (int i = 0; i < n; i++) h[i] = clamp_none(L->f0[i] * L->f1[i]);
        for (int i = 0; i < n; i++) wf(L->out, out0 + i, h[i]);
    }
}

static int check_weight(const mc_tensor *t, int rows, int cols) { return t->rank == 2 && t->dims[0] == rows && t->dims[1] == cols; }

/* TFLM's CheckedLog2: round(logf(x) * (1 / logf(2))) in float */
static int checked_log2(float x) { return (int) roundf(logf(x) * (1.0f / logf(2.0f))); }

static const char *validate_and_prepare(mc_case *c, lstm *L) {
    for (int i = 0; i < NROLES; i++) {
        L->t[i] = mc_tensor_named(c, ROLE[i]);
        if (L->t[i] && !L->t[i]->present) L->t[i] = NULL;
    }
    L->out = mc_tensor_named(c, "output");
    mc_tensor **t = L->t;
    if (!t[IN] || !t[HIDDEN] || !t[CELL] || !L->out) return "LSTM needs input, output_state, cell_state and output";
    for (int i = I2I; i <= R2O; i++) if (!t[i]) return "missing input/recurrent weights (CIFG is not supported)";
    for (int i = B_I; i <= B_O; i++) if (!t[i]) return "missing gate bias";
    const int absent[] = {C2I, C2F, C2O, PROJ_W, PROJ_B, LN_I, LN_F, LN_C, LN_O};
    for (int k = 0; k < 9; k++) if (t[absent[k]]) return "peephole, projection and layer normalisation are not supported";
    if ((int) mc_attr(c, "activation", 0) != 4) return "cell gate activation must be TANH (4)";
    mc_type act = t[IN]->type, wt = t[I2F]->type, bt = t[B_F]->type, ct = t[CELL]->type;
    for (int i = I2I; i <= R2O; i++) if (t[i]->type != wt) return "weight types differ";
    for (int i = B_I; i <= B_O; i++) if (t[i]->type != bt) return "bias types differ";
    if (t[HIDDEN]->type != act || L->out->type != act) return "output_state and output must have the input's type";
    if (act == MC_FLOAT32) {
        if (ct != MC_FLOAT32 || wt != MC_FLOAT32 || bt != MC_FLOAT32) return "float32 LSTM needs float32 weights, biases and cell state";
    } else if (act == MC_INT8 || act == MC_INT16) {
        if (ct != MC_INT16) return "quantized LSTM needs an int16 cell state";
        if (wt != MC_INT8) return "quantized LSTM needs int8 weights";
        if (bt != (act == MC_INT8 ? MC_INT32 : MC_INT64)) return "int8 LSTM needs int32 biases, int16 LSTM int64 biases";
    } else {
        return "input type not supported";
    }
    if (t[IN]->rank != 3 || L->out->rank != 3) return "input and output must have rank 3";
    if (t[HIDDEN]->rank < 2) return "output_state must have rank >= 2";
    int invokes = (int) mc_attr(c, "invokes", 1);
    if (invokes < 1 || t[IN]->dims[0] % invokes) return "invokes must divide the input's first dimension";
    L->time_major = mc_attr(c, "time_major", 0) != 0;
    int d0 = t[IN]->dims[0] / invokes;
    L->frame = d0 * t[IN]->dims[1];
    L->batch = L->time_major ? t[IN]->dims[1] : d0;
    L->steps = L->time_major ? d0 : t[IN]->dims[1];
    L->n_input = t[IN]->dims[2];
    L->n_cell = t[HIDDEN]->dims[1];
    for (int i = I2I; i <= R2O; i++)
        if (!check_weight(t[i], L->n_cell, i <= I2O ? L->n_input : L->n_cell)) return "weight shape mismatch";
    for (int i = B_I; i <= B_O; i++) if (t[i]->rank != 1 || t[i]->dims[0] != L->n_cell) return "bias shape mismatch";
    long states = (long) L->batch * L->n_cell;
    if (mc_elements(t[HIDDEN]) != states || mc_elements(t[CELL]) != states) return "state size mismatch";
    if (L->out->dims[0] != t[IN]->dims[0] || L->out->dims[1] != t[IN]->dims[1] || L->out->dims[2] != L->n_cell)
        return "output shape mismatch";
    L->clip = (float) mc_attr(c, "cell_clip", 0);
    L->quantized = act != MC_FLOAT32;
    L->wide = act == MC_INT16;
    if (!L->quantized) return NULL;
    for (int i = I2I; i <= R2O; i++) {
        if (t[i]->nscale != 1) return "quantized LSTM weights need one (per-tensor) scale";
        if (t[i]->nzp && t[i]->zero_points[0] != 0) return "LSTM weight zero point must be 0";
    }
    if (!t[IN]->nscale || !t[HIDDEN]->nscale || !t[CELL]->nscale) return "quantized LSTM needs input, output_state and cell_state scales";
    const float gate_scale = 0.000244140625f, q015 = 0.000030517578125f;   /* 2^-12 and 2^-15 */
    float in_scale = t[IN]->scales[0], h_scale = t[HIDDEN]->scales[0], cell_scale = t[CELL]->scales[0];
    for (int g = 0; g < 4; g++) {
        float pi = in_scale * t[GATE[g][0]]->scales[0], pr = h_scale * t[GATE[g][1]]->scales[0];
        mc_quantize_multiplier((double) pi / (double) gate_scale, &L->in_mul[g], &L->in_shift[g]);
        mc_quantize_multiplier((double) pr / (double) gate_scale, &L->rec_mul[g], &L->rec_shift[g]);
    }
    L->input_offset = -(t[IN]->nzp ? (int32_t) t[IN]->zero_points[0] : 0);
    int32_t hzp = t[HIDDEN]->nzp ? (int32_t) t[HIDDEN]->zero_points[0] : 0;
    L->hidden_offset = -hzp;
    L->clip_on = L->clip > 0;
    double qc = (double) L->clip / (double) cell_scale;
    L->qclip = (int16_t) (int32_t) fmin(fmax(qc, -32768.0), 32767.0);
    L->forget_cell = make_mul(q015, cell_scale, cell_scale, MC_INT16, 0);
    L->input_cell = make_mul(q015, q015, cell_scale, MC_INT16, 0);
    L->output_mul = make_mul(q015, q015, h_scale, act, hzp);
    tanh_scaling(checked_log2(cell_scale), &L->cell_tanh_mul, &L->cell_tanh_shift);
    return NULL;
}

const char *mc_unidirectional_sequence_lstm(mc_case *c) {
    static lstm L;
    memset(&L, 0, sizeof L);
    const char *err = validate_and_prepare(c, &L);
    if (err) return err;
    long states = (long) L.batch * L.n_cell, rows = L.time_major ? L.batch : 1;
    if (L.quantized) {
        L.hq = calloc((size_t) states, 2); L.cq = calloc((size_t) states, 2);
        L.q0 = calloc((size_t) states, 2); L.q1 = calloc((size_t) states, 2);
        L.q2 = calloc((size_t) states, 2); L.q3 = calloc((size_t) states, 2);
        L.x = calloc((size_t) (rows * L.n_input), sizeof(int32_t));
        L.h32 = calloc((size_t) states, sizeof(int32_t));
        for (long i = 0; i < states; i++) { L.hq[i] = (int16_t) ri(L.t[HIDDEN], i); L.cq[i] = (int16_t) ri(L.t[CELL], i); }
    } else {
        L.hf = calloc((size_t) states, 4); L.cf = calloc((size_t) states, 4);
        L.f0 = calloc((size_t) states, 4); L.f1 = calloc((size_t) states, 4);
        L.f2 = calloc((size_t) states, 4); L.f3 = calloc((size_t) states, 4);
        L.xf = calloc((size_t) (rows * L.n_input), sizeof(float));
        for (long i = 0; i < states; i++) { L.hf[i] = rf(L.t[HIDDEN], i); L.cf[i] = rf(L.t[CELL], i); }
    }
    int invokes = (int) mc_attr(c, "invokes", 1);
    for (int f = 0; f < invokes; f++) {
        if (L.time_major) {
            for (int s = 0; s < L.steps; s++) step(&L, f, 0, s);
        } else {
            for (int b = 0; b < L.batch; b++)
                for (int s = 0; s < L.steps; s++) step(&L, f, b, s);
        }
    }
    /* leave the final state in the variable tensors */
    for (long i = 0; i < states; i++) {
        if (L.quantized) { wi(L.t[HIDDEN], i, L.hq[i]); wi(L.t[CELL], i, L.cq[i]); }
        else { wf(L.t[HIDDEN], i, L.hf[i]); wf(L.t[CELL], i, L.cf[i]); }
    }
    free(L.hq); free(L.cq); free(L.q0); free(L.q1); free(L.q2); free(L.q3); free(L.x); free(L.h32);
    free(L.hf); free(L.cf); free(L.f0); free(L.f1); free(L.f2); free(L.f3); free(L.xf);
    return NULL;
}
