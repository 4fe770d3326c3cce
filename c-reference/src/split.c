/* SPLIT and UNPACK: the input cut along an axis into the outputs (output0, output1, ...; a single one may
 * be named output) in turn. For each index of
 * the dimensions before the axis, every output takes its next contiguous block (its size along the axis, 1 for
 * UNPACK, times the size of the dimensions after the axis). */
#include "kernels.h"
#include "tensor_io.h"
#include <stdio.h>

/* The output tensor `output`, or else output0, output1, ... in order; returns their count, -1 when there are more than max. */
int mc_outputs(mc_case *c, mc_tensor **outs, int max) {
    if (max > 0 && (outs[0] = mc_tensor_named(c, "output")) != NULL) return 1;
    int n = 0;
    for (;; n++) {
        char name[24];
        snprintf(name, sizeof name, "output%d", n);
        mc_tensor *t = mc_tensor_named(c, name);
        if (!t) return n;
        if (n >= max) return -1;
        outs[n] = t;
    }
}

static const char *split_along(mc_tensor *in, int axis, mc_tensor **outs, int n) {
    if (axis < 0) axis += in->rank;
    if (axis < 0 || axis >= in->rank) return "axis out of range";
    if (n == 0) return "no output tensors";
    long outer = 1;
    for (int d = 0; d < axis; d++) outer *= in->dims[d];
    size_t pos = 0, block[MC_MAX_TENSORS];
    for (int i = 0; i < n; i++) {
        if (outs[i]->type != in->type) return "output type differs from the input's";
        block[i] = outer ? outs[i]->bytes / (size_t) outer : 0;
    }
    for (long k = 0; k < outer; k++)
        for (int i = 0; i < n; i++) {
            if (pos + block[i] > in->bytes) return "outputs larger than the input";
            memcpy(outs[i]->data + k * block[i], in->data + pos, block[i]);
            pos += block[i];
        }
    return pos == in->bytes ? NULL : "outputs do not cover the input";
}

/* SPLIT: roles `axis` (int32 scalar) `input` output0...; equal parts along the axis */
const char *mc_split(mc_case *c) {
    mc_tensor *axis = mc_tensor_named(c, "axis"), *in = mc_tensor_named(c, "input"), *outs[MC_MAX_TENSORS];
    if (!axis || !in) return "SPLIT needs axis and input";
    int n = mc_outputs(c, outs, MC_MAX_TENSORS);
    if (n < 0) return "too many outputs";
    int a = geti(axis, 0);
    if (a < 0) a += in->rank;
    if (a >= 0 && a < in->rank && n > 0 && in->dims[a] % n) return "the axis does not split into equal parts";
    return split_along(in, a, outs, n);
}

/* UNPACK: role `input`, attr axis; one output per index along the axis */
const char *mc_unpack(mc_case *c) {
    mc_tensor *in = mc_tensor_named(c, "input"), *outs[MC_MAX_TENSORS];
    if (!in) return "UNPACK needs input";
    int n = mc_outputs(c, outs, MC_MAX_TENSORS);
    if (n < 0) return "too many outputs";
    int a = (int) mc_attr(c, "axis", 0);
    if (a < 0) a += in->rank;
    if (a >= 0 && a < in->rank && in->dims[a] != n) return "the axis size differs from the output count";
    return split_along(in, a, outs, n);
}
