/* Data movement on raw bytes: RESHAPE/SQUEEZE/EXPAND_DIMS (a copy), TRANSPOSE, PAD/PADV2, CONCATENATION, GATHER,
 * SLICE, PACK, STRIDED_SLICE. SPLIT and UNPACK are in split.c. */
#include "kernels.h"
#include "tensor_io.h"
#include <stdio.h>
#include <string.h>

const char *mc_copy(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *out = mc_tensor_named(c, "output");
    if (!in || !out || in->bytes != out->bytes) return "input and output sizes differ";
    memcpy(out->data, in->data, in->bytes);
    return NULL;
}

const char *mc_transpose(mc_case *c) {
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

const char *mc_pad(mc_case *c) {
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

const char *mc_concatenation(mc_case *c) {
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

const char *mc_gather(mc_case *c) {
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

const char *mc_slice(mc_case *c) {
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

const char *mc_pack(mc_case *c) {
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

static int ss_clamp(int v, int lo, int hi) { return hi < v ? hi : v < lo ? lo : v; }

const char *mc_strided_slice(mc_case *c) {
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
