/* The streaming custom ops, whose state carries from one invoke to the next: CIRCULAR_BUFFER, and the Signal
 * library's SignalDelay, SignalFramer, SignalStacker and SignalOverlapAdd. A case runs F invokes in a row: every
 * tensor holds the F frames back to back along an extra first dimension ([F, frame shape...]; a scalar per frame is
 * [F]), and each output carries all its frames. Options are attributes named as the ops' custom options. */
#include "kernels.h"
#include "tensor_io.h"
#include <stdlib.h>
#include <string.h>

/* ---- an int16 ring with TFLM's Signal-library position arithmetic (read, write, empty flag) ---- */

typedef struct {
    long capacity, read, write;
    int empty;
    int16_t *v;
} ring;

static int ring_init(ring *r, long capacity) {
    r->capacity = capacity;
    r->read = r->write = 0;
    r->empty = 1;
    r->v = calloc((size_t) (capacity > 0 ? capacity : 1), sizeof(int16_t));
    return r->v != NULL;
}

static long ring_available(const ring *r) {
    long d = r->write - r->read;
    if (d > 0) return d;
    if (d < 0) return r->capacity + d;
    return r->empty ? 0 : r->capacity;
}

/* appends n samples (a copy of src is taken first, so src may point into the ring) */
static void ring_write(ring *r, const int16_t *src, long n) {
    if (n <= 0) return;
    int16_t tmp[4096];
    int16_t *copy = n <= 4096 ? tmp : malloc(sizeof(int16_t) * (size_t) n);
    memcpy(copy, src, sizeof(int16_t) * (size_t) n);
    for (long i = 0; i < n; i++) {
        r->v[r->write] = copy[i];
        if (++r->write == r->capacity) r->write = 0;
    }
    if (copy != tmp) free(copy);
    r->empty = 0;
}

static void ring_zeros(ring *r, long n) {
    for (long i = 0; i < n; i++) {
        r->v[r->write] = 0;
        if (++r->write == r->capacity) r->write = 0;
    }
    if (n > 0) r->empty = 0;
}

static void ring_get(const ring *r, long n, int16_t *dst) {
    for (long i = 0, p = r->read; i < n; i++) {
        dst[i] = r->v[p];
        if (++p == r->capacity) p = 0;
    }
}

static void ring_discard(ring *r, long n) {
    r->read += n;
    if (r->read >= r->capacity) r->read -= r->capacity;
    if (r->read == r->write) r->empty = 1;
}

/* the last count samples appended n more times */
static void ring_extend(ring *r, long count, long n) {
    if (n <= 0 || count <= 0) return;
    long start = r->write - count;
    if (start < 0) start += r->capacity;
    int16_t *last = malloc(sizeof(int16_t) * (size_t) count);
    for (long i = 0, p = start; i < count; i++) {
        last[i] = r->v[p];
        if (++p == r->capacity) p = 0;
    }
    for (long k = 0; k < n; k++) ring_write(r, last, count);
    free(last);
}

static int16_t get16(const unsigned char *p) { int16_t v; memcpy(&v, p, 2); return v; }
static void put16(unsigned char *p, int16_t v) { memcpy(p, &v, 2); }

/* frames of a streaming case: the first dimension of the input */
static const char *frames_of(mc_tensor *in, long *frames, long *frame_elems) {
    if (in->rank < 1 || in->dims[0] < 1) return "the input needs a leading frames dimension";
    *frames = in->dims[0];
    *frame_elems = mc_elements(in) / *frames;
    return NULL;
}

/* ---- CIRCULAR_BUFFER: int8 [1,1,h,w] into [1,slots,h,w], shifting one slot per invoke ---- */
static const char *circular_buffer(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "CIRCULAR_BUFFER needs input and output";
    if (in->type != MC_INT8 || out->type != MC_INT8) return "CIRCULAR_BUFFER is int8 only";
    if (in->rank != 5 || out->rank != 5) return "frames plus rank-4 input and output expected";
    long frames = in->dims[0];
    if (out->dims[0] != frames) return "frame counts differ";
    int slots = out->dims[2], depth = out->dims[3] * out->dims[4];
    if (in->dims[2] != 1 || in->dims[3] != out->dims[3] || in->dims[4] != out->dims[4] || slots < 1) return "bad shapes";
    unsigned char *buf = calloc((size_t) slots * (size_t) depth + 1, 1);
    /* the variable output starts at its zero point */
    memset(buf, zp0(out), (size_t) slots * (size_t) depth);
    long frame_out = mc_elements(out) / frames, frame_in = mc_elements(in) / frames;
    for (long f = 0; f < frames; f++) {
        memmove(buf, buf + depth, (size_t) (slots - 1) * (size_t) depth);
        memcpy(buf + (size_t) (slots - 1) * (size_t) depth, in->data + f * frame_in, (size_t) depth);
        /* the whole output tensor: the batch beyond the first holds the variable's initial value */
        memset(out->data + f * frame_out, zp0(out), (size_t) frame_out);
        memcpy(out->data + f * frame_out, buf, (size_t) slots * (size_t) depth);
    }
    free(buf);
    return NULL;
}

/* ---- SignalDelay: each row delayed by delay_length samples ---- */
static const char *signal_delay(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->type != MC_INT16 || out->type != MC_INT16) return "SignalDelay needs int16 input and output";
    long frames, n;
    const char *e = frames_of(in, &frames, &n);
    if (e) return e;
    if (in->rank < 2) return "rows needed";
    long frame = in->dims[in->rank - 1], rows = n / frame, delay = (long) mc_attr(c, "delay_length", 0);
    if (delay < 0 || frame < 1) return "bad delay or frame";
    ring *rs = calloc((size_t) rows, sizeof(ring));
    for (long r = 0; r < rows; r++) { ring_init(&rs[r], frame + delay); ring_zeros(&rs[r], delay); }
    int16_t *tmp = malloc(sizeof(int16_t) * (size_t) frame), *x = malloc(sizeof(int16_t) * (size_t) frame);
    for (long f = 0; f < frames; f++)
        for (long r = 0; r < rows; r++) {
            long at = f * n + r * frame;
            for (long i = 0; i < frame; i++) x[i] = get16(in->data + 2 * (at + i));
            ring_write(&rs[r], x, frame);
            ring_get(&rs[r], frame, tmp);
            ring_discard(&rs[r], frame);
            for (long i = 0; i < frame; i++) put16(out->data + 2 * (at + i), tmp[i]);
        }
    for (long r = 0; r < rows; r++) free(rs[r].v);
    free(rs); free(tmp); free(x);
    return NULL;
}

/* ---- SignalFramer: frames of frame_size every frame_step samples; output0 the frames, output1 all-complete ---- */
static const char *signal_framer(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output0"), *valid = mc_tensor_named(c, "output1");
    if (!in || !out || !valid) return "SignalFramer needs input, output0, output1";
    long frames, n;
    const char *e = frames_of(in, &frames, &n);
    if (e) return e;
    long size = (long) mc_attr(c, "frame_size", 0), step = (long) mc_attr(c, "frame_step", 0);
    int prefill = mc_attr(c, "prefill", 0) != 0;
    if (step <= 0 || size <= 0 || (prefill && size < step)) return "bad frame_size or frame_step";
    long inner = in->dims[in->rank - 1];
    if (inner < step || inner % step) return "rows are not whole steps";
    long rows = n / inner, nframes = inner / step, capacity = (size + step - 1) / step * step;
    long out_n = mc_elements(out) / frames;
    if (rows * nframes * size > out_n) return "output too small";
    ring *rs = calloc((size_t) rows, sizeof(ring));
    for (long r = 0; r < rows; r++) { ring_init(&rs[r], capacity); if (prefill) ring_zeros(&rs[r], size - step); }
    int16_t *x = malloc(sizeof(int16_t) * (size_t) step), *got = malloc(sizeof(int16_t) * (size_t) size);
    int16_t *kept = calloc((size_t) out_n + 1, sizeof(int16_t));   /* the output tensor between invokes */
    for (long f = 0; f < frames; f++) {
        int all = 1;
        for (long r = 0; r < rows; r++)
            for (long k = 0; k < nframes; k++) {
                long idx = r * nframes + k;
                for (long i = 0; i < step; i++) x[i] = get16(in->data + 2 * (f * n + idx * step + i));
                ring_write(&rs[r], x, step);
                if (ring_available(&rs[r]) >= size) {
                    ring_get(&rs[r], size, got);
                    memcpy(kept + idx * size, got, sizeof(int16_t) * (size_t) size);
                    ring_discard(&rs[r], step);
                } else {
                    all = 0;
                }
            }
        for (long i = 0; i < out_n; i++) put16(out->data + 2 * (f * out_n + i), kept[i]);
        valid->data[f] = (unsigned char) all;
    }
    for (long r = 0; r < rows; r++) free(rs[r].v);
    free(rs); free(x); free(got); free(kept);
    return NULL;
}

/* ---- SignalStacker: num_channels per invoke into a ring of (left + right + 1) frames ---- */
static const char *signal_stacker(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output0"), *valid = mc_tensor_named(c, "output1");
    if (!in || !out || !valid) return "SignalStacker needs input, output0, output1";
    long frames, n;
    const char *e = frames_of(in, &frames, &n);
    if (e) return e;
    long ch = (long) mc_attr(c, "num_channels", 0), left = (long) mc_attr(c, "stacker_left_context", 0);
    long right = (long) mc_attr(c, "stacker_right_context", 0), stepf = (long) mc_attr(c, "stacker_step", 0);
    long size = ch * (left + right + 1), out_n = mc_elements(out) / frames;
    if (ch <= 0 || left < 0 || right < 0 || stepf < 0 || stepf > left + right + 1 || n < ch || out_n < size) return "bad options";
    ring r;
    ring_init(&r, size);
    int first = 0;
    int16_t *x = malloc(sizeof(int16_t) * (size_t) ch), *kept = calloc((size_t) out_n + 1, sizeof(int16_t));
    for (long f = 0; f < frames; f++) {
        for (long i = 0; i < ch; i++) x[i] = get16(in->data + 2 * (f * n + i));
        ring_write(&r, x, ch);
        if (!first) { ring_extend(&r, ch, left); first = 1; }
        int full = ring_available(&r) >= size;
        if (full) { ring_get(&r, size, kept); ring_discard(&r, ch * stepf); }
        for (long i = 0; i < out_n; i++) put16(out->data + 2 * (f * out_n + i), kept[i]);
        valid->data[f] = (unsigned char) full;
    }
    free(r.v); free(x); free(kept);
    return NULL;
}

/* ---- SignalOverlapAdd: frames added into per-row accumulators, frame_step samples out per frame ---- */
static const char *signal_overlap_add(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->type != out->type || (in->type != MC_INT16 && in->type != MC_FLOAT32)) return "int16 or float32 in and out";
    long frames, n;
    const char *e = frames_of(in, &frames, &n);
    if (e) return e;
    if (in->rank < 3) return "frames, frame count and samples needed";
    long size = in->dims[in->rank - 1], nf = in->dims[in->rank - 2], rows = n / (size * nf);
    long step = (long) mc_attr(c, "frame_step", 0), out_n = mc_elements(out) / frames;
    if (step < 0 || step > size || rows * nf * step > out_n) return "bad frame_step";
    int fl = in->type == MC_FLOAT32;
    float *facc = fl ? calloc((size_t) (rows * size), sizeof(float)) : NULL;
    int32_t *iacc = fl ? NULL : calloc((size_t) (rows * size), sizeof(int32_t));
    for (long f = 0; f < frames; f++)
        for (long r = 0; r < rows; r++)
            for (long k = 0; k < nf; k++) {
                long frame = r * nf + k, ii = f * n + frame * size, oi = f * out_n + frame * step;
                if (fl) {
                    float *b = facc + r * size;
                    for (long i = 0; i < size; i++) b[i] += getf(in, ii + i);
                    for (long i = 0; i < step; i++) putf(out, oi + i, b[i]);
                    memmove(b, b + step, sizeof(float) * (size_t) (size - step));
                    for (long i = size - step; i < size; i++) b[i] = 0.0f;
                } else {
                    int32_t *b = iacc + r * size;
                    for (long i = 0; i < size; i++) b[i] = clampi(b[i] + geti(in, ii + i), -32768, 32767);
                    for (long i = 0; i < step; i++) puti(out, oi + i, b[i]);
                    memmove(b, b + step, sizeof(int32_t) * (size_t) (size - step));
                    for (long i = size - step; i < size; i++) b[i] = 0;
                }
            }
    free(facc); free(iacc);
    return NULL;
}

int mc_custom_op(mc_case *c, const char **error) {
    if (!strcmp(c->op, "CIRCULAR_BUFFER")) *error = circular_buffer(c);
    else if (!strcmp(c->op, "TFLite_Detection_PostProcess")) *error = mc_detection_postprocess(c);
    else if (!strcmp(c->op, "SignalIrfft")) *error = mc_signal_irfft(c);
    else if (!strcmp(c->op, "SignalDelay")) *error = signal_delay(c);
    else if (!strcmp(c->op, "SignalFramer")) *error = signal_framer(c);
    else if (!strcmp(c->op, "SignalStacker")) *error = signal_stacker(c);
    else if (!strcmp(c->op, "SignalOverlapAdd")) *error = signal_overlap_add(c);
    else return 0;
    return 1;
}
