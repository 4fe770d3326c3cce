/* Shapes and data movement of issue 12: SHAPE, FILL, ZEROS_LIKE, SPLIT_V, REVERSE_V2, MIRROR_PAD, BROADCAST_TO,
 * BROADCAST_ARGS, SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, GATHER_ND, EMBEDDING_LOOKUP,
 * DYNAMIC_UPDATE_SLICE and CUMSUM, element by element from output coordinates (the Java engine copies runs), with
 * TFLM's arithmetic where there is any (CUMSUM's int8 rescaling, EMBEDDING_LOOKUP's dequantization). */
#include "data_image_matmul.h"
#include "fixedpoint.h"
#include "tensor_io.h"
#include <stdio.h>
#include <stdlib.h>

/* Row-major coordinates of flat index i in a shape. */
static void unflatten(long i, const int *dims, int rank, int *coord) {
    for (int d = rank - 1; d >= 0; d--) {
        coord[d] = dims[d] ? (int) (i % dims[d]) : 0;
        i = dims[d] ? i / dims[d] : 0;
    }
}

static long flatten(const int *coord, const int *dims, int rank) {
    long f = 0;
    for (int d = 0; d < rank; d++) f = f * dims[d] + coord[d];
    return f;
}

static void copy_element(mc_tensor *out, long o, const mc_tensor *in, long i) {
    size_t e = mc_type_size(in->type);
    memcpy(out->data + o * e, in->data + i * e, e);
}

/* An int32 or int64 entry as C long. */
static long entry(const mc_tensor *t, long i) { return t->type == MC_INT64 ? (long) getl(t, i) : (long) geti(t, i); }

static const char *shape(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "SHAPE needs input and output";
    if (out->type != MC_INT32) return "SHAPE writes int32 only";
    if (mc_elements(out) != in->rank) return "output length differs from the input rank";
    for (int d = 0; d < in->rank; d++) puti(out, d, in->dims[d]);
    return NULL;
}

static const char *fill(mc_case *c) {
    mc_tensor *dims = mc_tensor_named(c, "dims"), *value = mc_tensor_named(c, "value"), *out = mc_tensor_named(c, "output");
    if (!dims || !value || !out) return "FILL needs dims, value and output";
    if (value->rank != 0 || value->type != out->type) return "value must be a scalar of the output's type";
    if (value->type != MC_FLOAT32 && value->type != MC_INT32 && value->type != MC_INT8) return "FILL takes float32, int32, int8";
    if (dims->rank != 1 || dims->dims[0] != out->rank) return "dims must list the output's dimensions";
    for (int d = 0; d < out->rank; d++) {
        long v = dims->type == MC_INT64 ? (long) getl(dims, d) : (long) geti(dims, d);
        if (v != out->dims[d]) return "dims differ from the output's shape";
    }
    for (long i = 0; i < mc_elements(out); i++) copy_element(out, i, value, 0);
    return NULL;
}

static const char *zeros_like(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "ZEROS_LIKE needs input and output";
    if (in->type != MC_INT64 && in->type != MC_INT32 && in->type != MC_INT8 && in->type != MC_FLOAT32)
        return "ZEROS_LIKE takes int64, int32, int8, float32";
    memset(out->data, 0, out->bytes);
    return NULL;
}

/* SPLIT_V: roles input, size_splits (unread, as in TFLM), axis, output0...; each output takes its own size. */
static const char *split_v(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *axis_t = mc_tensor_named(c, "axis"), *outs[MC_MAX_TENSORS];
    if (!in || !axis_t) return "SPLIT_V needs input and axis";
    int n = mc_outputs(c, outs, MC_MAX_TENSORS);
    if (n <= 0) return "no outputs";
    int axis = (int) entry(axis_t, 0);
    if (axis < 0) axis += in->rank;
    if (axis < 0 || axis >= in->rank) return "axis out of range";
    int coord[MC_MAX_RANK];
    int start = 0;
    for (int k = 0; k < n; k++) {
        if (outs[k]->rank != in->rank || outs[k]->type != in->type) return "outputs must match the input's rank and type";
        for (long i = 0; i < mc_elements(outs[k]); i++) {
            unflatten(i, outs[k]->dims, outs[k]->rank, coord);
            coord[axis] += start;
            copy_element(outs[k], i, in, flatten(coord, in->dims, in->rank));
        }
        start += outs[k]->dims[axis];
    }
    return start == in->dims[axis] ? NULL : "the outputs do not cover the axis";
}

static const char *reverse_v2(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *axis_t = mc_tensor_named(c, "axis"), *out = mc_tensor_named(c, "output");
    if (!in || !axis_t || !out) return "REVERSE_V2 needs input, axis and output";
    int flip[MC_MAX_RANK] = {0}, lo = in->rank, hi = -1;
    long n_axes = mc_elements(axis_t);
    if (n_axes == 0) return "no axis";
    for (long k = 0; k < n_axes; k++) {
        int a = geti(axis_t, k);
        if (a < 0) a += in->rank;
        if (a < 0 || a >= in->rank) return "axis out of range";
        if (flip[a]) return "repeated axis";
        flip[a] = 1;
        if (a < lo) lo = a;
        if (a > hi) hi = a;
    }
    if (hi - lo + 1 != n_axes) return "non-contiguous axes";
    int coord[MC_MAX_RANK];
    for (long i = 0; i < mc_elements(out); i++) {
        unflatten(i, in->dims, in->rank, coord);
        for (int d = 0; d < in->rank; d++) if (flip[d]) coord[d] = in->dims[d] - 1 - coord[d];
        copy_element(out, i, in, flatten(coord, in->dims, in->rank));
    }
    return NULL;
}

/* MIRROR_PAD: attr mode 0 REFLECT (the edge is not repeated), else SYMMETRIC; paddings [rank, 2] int32/int64. */
static const char *mirror_pad(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *pads = mc_tensor_named(c, "paddings"), *out = mc_tensor_named(c, "output");
    if (!in || !pads || !out) return "MIRROR_PAD needs input, paddings and output";
    if (out->rank != in->rank || mc_elements(pads) < 2 * in->rank) return "bad ranks";
    int reflect = (int) mc_attr(c, "mode", 0) == 0;
    int coord[MC_MAX_RANK];
    for (long i = 0; i < mc_elements(out); i++) {
        unflatten(i, out->dims, out->rank, coord);
        for (int d = 0; d < in->rank; d++) {
            int p = coord[d] - (int) entry(pads, 2 * d), size = in->dims[d];
            /* mirror into [0, size): reflect about the edge elements, or about the edges themselves */
            if (p < 0) p = reflect ? -p : -p - 1;
            else if (p >= size) p = reflect ? 2 * (size - 1) - p : 2 * size - 1 - p;
            if (p < 0 || p >= size) return "padding larger than the mirrored dimension";
            coord[d] = p;
        }
        copy_element(out, i, in, flatten(coord, in->dims, in->rank));
    }
    return NULL;
}

static const char *broadcast_to(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out) return "BROADCAST_TO needs input and output";
    long *map = mc_broadcast_map(in, out);
    if (!map) return "the input does not broadcast to the output";
    for (long i = 0; i < mc_elements(out); i++) copy_element(out, i, in, map[i]);
    free(map);
    return NULL;
}

static const char *broadcast_args(mc_case *c) {
    mc_tensor *a = mc_tensor_named(c, "shape1"), *b = mc_tensor_named(c, "shape2"), *out = mc_tensor_named(c, "output");
    if (!a || !b || !out) return "BROADCAST_ARGS needs shape1, shape2 and output";
    long na = mc_elements(a), nb = mc_elements(b), n = mc_elements(out);
    for (long i = 0; i < n; i++) {
        /* from the back; entries before a vector's start count as 1; TFLM works in C ints */
        int x = na - 1 - i >= 0 ? (int) entry(a, na - 1 - i) : 1, y = nb - 1 - i >= 0 ? (int) entry(b, nb - 1 - i) : 1;
        int v = x == 1 ? y : x;
        if (x != 1 && y != 1 && x != y) return "shapes do not broadcast";
        if (out->type == MC_INT64) putl(out, n - 1 - i, v); else puti(out, n - 1 - i, v);
    }
    return NULL;
}

/* SPACE_TO_DEPTH (to_depth 1) and DEPTH_TO_SPACE: NHWC, attr block_size. */
static const char *depth_space(mc_case *c, int to_depth) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->rank != 4 || out->rank != 4) return "needs rank-4 input and output";
    int bs = (int) mc_attr(c, "block_size", 0);
    if (bs < 1) return "block_size must be positive";
    /* walk the space side: (b, y, x, d) of the spatial tensor <-> (b, y/bs, x/bs, ((y%bs)*bs + x%bs)*D + d) */
    mc_tensor *space = to_depth ? in : out, *depth = to_depth ? out : in;
    int D = space->dims[3];
    if (depth->dims[1] * bs != space->dims[1] || depth->dims[2] * bs != space->dims[2] || depth->dims[3] != D * bs * bs
            || depth->dims[0] != space->dims[0]) return "shapes do not match the block size";
    int s[4], t[4];
    for (long i = 0; i < mc_elements(space); i++) {
        unflatten(i, space->dims, 4, s);
        t[0] = s[0]; t[1] = s[1] / bs; t[2] = s[2] / bs; t[3] = ((s[1] % bs) * bs + s[2] % bs) * D + s[3];
        long j = flatten(t, depth->dims, 4);
        if (to_depth) copy_element(out, j, in, i); else copy_element(out, i, in, j);
    }
    return NULL;
}

/* The [N, H, W, C] view of a rank-3 [N, H, C] or rank-4 tensor. */
static void nhwc(const mc_tensor *t, int *d) {
    if (t->rank == 4) { for (int k = 0; k < 4; k++) d[k] = t->dims[k]; }
    else { d[0] = t->dims[0]; d[1] = t->dims[1]; d[2] = 1; d[3] = t->dims[2]; }
}

/* SPACE_TO_BATCH_ND: output batch ob = (sh * bw + sw) * N + n takes pixel (y * bh + sh - top, x * bw + sw - left) of
 * input batch n, zero outside the input. Roles input, block_shape, paddings, output. */
static const char *space_to_batch(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *block = mc_tensor_named(c, "block_shape"),
              *pads = mc_tensor_named(c, "paddings"), *out = mc_tensor_named(c, "output");
    if (!in || !block || !pads || !out || in->rank < 3 || in->rank > 4 || out->rank != in->rank) return "bad tensors";
    int i4[4], o4[4], four = in->rank == 4;
    nhwc(in, i4); nhwc(out, o4);
    int bh = geti(block, 0), bw = four ? geti(block, 1) : 1, top = geti(pads, 0), left = four ? geti(pads, 2) : 0;
    if (bh < 1 || bw < 1 || i4[0] == 0 || o4[3] != i4[3]) return "bad block shape or depth";
    int o[4];
    memset(out->data, 0, out->bytes);
    for (long k = 0; k < mc_elements(out); k++) {
        unflatten(k, o4, 4, o);
        int n = o[0] % i4[0], shift = o[0] / i4[0], sh = shift / bw, sw = shift % bw;
        int y = o[1] * bh + sh - top, x = o[2] * bw + sw - left;
        if (y < 0 || y >= i4[1] || x < 0 || x >= i4[2]) continue;
        int src[4] = {n, y, x, o[3]};
        copy_element(out, k, in, flatten(src, i4, 4));
    }
    return NULL;
}

/* BATCH_TO_SPACE_ND: the inverse walk, from the input: input batch b lands in output batch b % N' at
 * (y * bh + (b / N') / bw - top, x * bw + (b / N') % bw - left), dropped where cropped. Roles input, block_shape,
 * crops, output; every output pixel must be written. */
static const char *batch_to_space(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *block = mc_tensor_named(c, "block_shape"),
              *crops = mc_tensor_named(c, "crops"), *out = mc_tensor_named(c, "output");
    if (!in || !block || !crops || !out || in->rank < 3 || in->rank > 4 || out->rank != in->rank) return "bad tensors";
    int i4[4], o4[4], four = in->rank == 4;
    nhwc(in, i4); nhwc(out, o4);
    int bh = geti(block, 0), bw = four ? geti(block, 1) : 1, top = geti(crops, 0), left = four ? geti(crops, 2) : 0;
    if (bh < 1 || bw < 1 || o4[0] == 0 || o4[3] != i4[3]) return "bad block shape or depth";
    long pixels = (long) o4[0] * o4[1] * o4[2], written = 0;
    unsigned char *hit = calloc((size_t) pixels + 1, 1);
    int s[4];
    for (long k = 0; k < mc_elements(in); k++) {
        unflatten(k, i4, 4, s);
        int ob = s[0] % o4[0], spatial = s[0] / o4[0];
        int y = s[1] * bh + spatial / bw - top, x = s[2] * bw + spatial % bw - left;
        if (y < 0 || y >= o4[1] || x < 0 || x >= o4[2]) continue;
        int d[4] = {ob, y, x, s[3]};
        long p = ((long) ob * o4[1] + y) * o4[2] + x;
        if (!hit[p]) { hit[p] = 1; written++; }
        copy_element(out, flatten(d, o4, 4), in, k);
    }
    free(hit);
    return written == pixels ? NULL : "output pixels left unwritten";
}

/* GATHER_ND: roles params, indices (int32, last dimension nd), output; TFLM checks only each slice's flat start. */
static const char *gather_nd(mc_case *c) {
    mc_tensor *p = mc_tensor_named(c, "params"), *ix = mc_tensor_named(c, "indices"), *out = mc_tensor_named(c, "output");
    if (!p || !ix || !out || ix->rank < 1) return "GATHER_ND needs params, indices and output";
    int nd = ix->dims[ix->rank - 1];
    if (nd > p->rank) return "index depth exceeds the params rank";
    long slice = 1, stride[MC_MAX_RANK], flat = mc_elements(p);
    for (int d = nd; d < p->rank; d++) slice *= p->dims[d];
    for (int d = p->rank - 1, s = 1; d >= 0; d--) { stride[d] = s; s *= p->dims[d]; }
    long slices = nd ? mc_elements(ix) / nd : mc_elements(ix);
    if (nd == 0) { slices = 1; for (int d = 0; d < ix->rank - 1; d++) slices *= ix->dims[d]; }
    if (slices * slice != mc_elements(out)) return "output size differs";
    for (long s = 0; s < slices; s++) {
        long from = 0;
        for (int j = 0; j < nd; j++) from += (long) geti(ix, s * nd + j) * stride[j];
        if (from < 0 || from + slice > flat) return "gather_nd index out of bounds";
        for (long k = 0; k < slice; k++) copy_element(out, s * slice + k, p, from + k);
    }
    return NULL;
}

/* EMBEDDING_LOOKUP: roles ids, table, output; an int8 table into float32 dequantizes with the table's scale. */
static const char *embedding_lookup(mc_case *c) {
    mc_tensor *ids = mc_tensor_named(c, "ids"), *tab = mc_tensor_named(c, "table"), *out = mc_tensor_named(c, "output");
    if (!ids || !tab || !out || tab->rank < 2 || tab->dims[0] == 0) return "EMBEDDING_LOOKUP needs ids, a table and output";
    long cols = mc_elements(tab) / tab->dims[0];
    int hybrid = tab->type == MC_INT8 && out->type == MC_FLOAT32;
    if (hybrid && zp0(tab) != 0) return "hybrid lookup needs zero point 0";
    if (!hybrid && out->type != tab->type) return "output type differs from the table's";
    for (long i = 0; i < mc_elements(ids); i++) {
        int32_t id = geti(ids, i);
        if (id < 0 || id >= tab->dims[0]) return "id out of range";
        for (long k = 0; k < cols; k++) {
            if (hybrid) putf(out, i * cols + k, (float) geti(tab, (long) id * cols + k) * scale0(tab));
            else copy_element(out, i * cols + k, tab, (long) id * cols + k);
        }
    }
    return NULL;
}

/* DYNAMIC_UPDATE_SLICE: roles operand, update, start (int32/int64, clamped to [0, operand - update]), output. */
static const char *dynamic_update_slice(mc_case *c) {
    mc_tensor *op = mc_tensor_named(c, "operand"), *up = mc_tensor_named(c, "update"), *st = mc_tensor_named(c, "start"),
              *out = mc_tensor_named(c, "output");
    if (!op || !up || !st || !out || up->rank != op->rank || out->bytes != op->bytes) return "bad tensors";
    memcpy(out->data, op->data, op->bytes);
    int at[MC_MAX_RANK], coord[MC_MAX_RANK];
    for (int d = 0; d < op->rank; d++) {
        long s = entry(st, d), hi = op->dims[d] - up->dims[d];
        if (hi < 0) return "update larger than the operand";
        at[d] = (int) (s < 0 ? 0 : s > hi ? hi : s);
    }
    for (long i = 0; i < mc_elements(up); i++) {
        unflatten(i, up->dims, up->rank, coord);
        for (int d = 0; d < op->rank; d++) coord[d] += at[d];
        copy_element(out, flatten(coord, op->dims, op->rank), up, i);
    }
    return NULL;
}

/* CUMSUM: roles input, axis; attrs exclusive, reverse. float32 sums from 0.0f; int8 through TFLM's rescaling: inputs
 * offset, shifted left 20 bits and halved, summed in int32 (wrapping), then scaled by 2 s_in / (2^20 s_out). */
static const char *cumsum(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *axis_t = mc_tensor_named(c, "axis"), *out = mc_tensor_named(c, "output");
    if (!in || !axis_t || !out || in->rank < 1) return "CUMSUM needs input, axis and output";
    int axis = geti(axis_t, 0);
    if (axis < 0) axis += in->rank;
    if (axis < 0 || axis >= in->rank) return "axis out of range";
    int exclusive = mc_attr(c, "exclusive", 0) != 0, reverse = mc_attr(c, "reverse", 0) != 0;
    int32_t in_mul = 0, out_mul = 0;
    int in_shift = 0, out_shift = 0;
    if (in->type == MC_INT8) {
        double twice = 2.0 * (double) scale0(in);
        double real_out = twice / ((double) (1 << 20) * (double) scale0(out));
        if (!(real_out > 0 && real_out < 1)) return "output multiplier not below 1";
        mc_quantize_multiplier((double) scale0(in) / twice, &in_mul, &in_shift);
        mc_quantize_multiplier(real_out, &out_mul, &out_shift);
    } else if (in->type != MC_FLOAT32) {
        return "CUMSUM takes float32 and int8";
    }
    long n = mc_elements(in), stride = 1;
    for (int d = axis + 1; d < in->rank; d++) stride *= in->dims[d];
    int len = in->dims[axis];
    for (long line = 0; line < n / (len ? len : 1) && len; line++) {
        long base = (line / stride) * stride * len + line % stride;  /* first element of this line along the axis */
        float fsum = 0.0f;
        int32_t isum = mc_mbqm_smaller_than_one(-zp0(in) * (1 << 20), in_mul, in_shift);
        for (int k = 0; k < len; k++) {
            long at = base + (long) (reverse ? len - 1 - k : k) * stride;
            if (in->type == MC_FLOAT32) {
                float x = getf(in, at);
                if (exclusive) { putf(out, at, fsum); fsum += x; }
                else { fsum += x; putf(out, at, fsum); }
            } else {
                int32_t y = mc_mbqm_smaller_than_one((geti(in, at) - zp0(in)) * (1 << 20), in_mul, in_shift);
                int32_t shown;
                if (exclusive) { shown = isum; isum = (int32_t) ((uint32_t) isum + (uint32_t) y); }
                else { isum = (int32_t) ((uint32_t) isum + (uint32_t) y); shown = isum; }
                puti(out, at, clampi(mc_mbqm_smaller_than_one(shown, out_mul, out_shift) + zp0(out), -128, 127));
            }
        }
    }
    return NULL;
}

int mc_run_data_movement2(mc_case *c, const char **error) {
    const char *op = c->op;
    if (!strcmp(op, "SHAPE")) *error = shape(c);
    else if (!strcmp(op, "FILL")) *error = fill(c);
    else if (!strcmp(op, "ZEROS_LIKE")) *error = zeros_like(c);
    else if (!strcmp(op, "SPLIT_V")) *error = split_v(c);
    else if (!strcmp(op, "REVERSE_V2")) *error = reverse_v2(c);
    else if (!strcmp(op, "MIRROR_PAD")) *error = mirror_pad(c);
    else if (!strcmp(op, "BROADCAST_TO")) *error = broadcast_to(c);
    else if (!strcmp(op, "BROADCAST_ARGS")) *error = broadcast_args(c);
    else if (!strcmp(op, "SPACE_TO_DEPTH")) *error = depth_space(c, 1);
    else if (!strcmp(op, "DEPTH_TO_SPACE")) *error = depth_space(c, 0);
    else if (!strcmp(op, "SPACE_TO_BATCH_ND")) *error = space_to_batch(c);
    else if (!strcmp(op, "BATCH_TO_SPACE_ND")) *error = batch_to_space(c);
    else if (!strcmp(op, "GATHER_ND")) *error = gather_nd(c);
    else if (!strcmp(op, "EMBEDDING_LOOKUP")) *error = embedding_lookup(c);
    else if (!strcmp(op, "DYNAMIC_UPDATE_SLICE")) *error = dynamic_update_slice(c);
    else if (!strcmp(op, "CUMSUM")) *error = cumsum(c);
    else return 0;
    return 1;
}
