/* BATCH_MATMUL with TFLM's reference arithmetic: lhs [..., A, B] x rhs [..., B, C] (adj_x: lhs given as
 * [..., B, A]; adj_y: rhs as [..., C, B]), batch dimensions right-aligned and broadcast (rank 2 to 5). float32 sums
 * the products from 0.0f in order of B; int8 accumulates (rhs - rhs_zp) * (lhs - lhs_zp) in int32, int16 in int64
 * (zero points 0), requantized by lhs_scale * rhs_scale / output_scale and clamped. Roles lhs, rhs, output. */
#include "data_image_matmul.h"
#include "fixedpoint.h"
#include "tensor_io.h"

/* Flat offset of the batch (matrix) that output batch index `batch` reads in t, broadcasting size-1 dimensions. */
static long batch_offset(const mc_tensor *t, const int *out_batch, int batch_rank, long batch) {
    int lead = batch_rank - (t->rank - 2);  /* t's batch dimensions are right-aligned */
    long offset = 0, stride = (long) t->dims[t->rank - 2] * t->dims[t->rank - 1];
    for (int d = batch_rank - 1; d >= 0; d--) {
        int coord = (int) (batch % out_batch[d]);
        batch /= out_batch[d];
        if (d < lead) continue;
        int dim = t->dims[d - lead];
        if (dim != 1) offset += coord * stride;
        stride *= dim;
    }
    return offset;
}

static const char *batch_matmul(mc_case *c) {
    mc_tensor *lhs = mc_tensor_named(c, "lhs"), *rhs = mc_tensor_named(c, "rhs"), *out = mc_tensor_named(c, "output");
    if (!lhs || !rhs || !out) return "BATCH_MATMUL needs lhs, rhs and output";
    if (lhs->rank < 2 || lhs->rank > 5 || rhs->rank < 2 || rhs->rank > 5) return "ranks 2 to 5";
    if (lhs->type != rhs->type || lhs->type != out->type) return "lhs, rhs and output types differ";
    int adj_x = mc_attr(c, "adj_x", 0) != 0, adj_y = mc_attr(c, "adj_y", 0) != 0;
    int A = adj_x ? lhs->dims[lhs->rank - 1] : lhs->dims[lhs->rank - 2], B = adj_x ? lhs->dims[lhs->rank - 2] : lhs->dims[lhs->rank - 1];
    int B2 = adj_y ? rhs->dims[rhs->rank - 1] : rhs->dims[rhs->rank - 2], C = adj_y ? rhs->dims[rhs->rank - 2] : rhs->dims[rhs->rank - 1];
    if (B != B2) return "accumulation depths differ";
    int rank = lhs->rank > rhs->rank ? lhs->rank : rhs->rank, batch_rank = rank - 2, out_batch[3];
    long batches = 1;
    for (int d = 0; d < batch_rank; d++) {
        int l = d - (rank - lhs->rank) >= 0 ? lhs->dims[d - (rank - lhs->rank)] : 1;
        int r = d - (rank - rhs->rank) >= 0 ? rhs->dims[d - (rank - rhs->rank)] : 1;
        if (l != r && l != 1 && r != 1) return "batch dimensions do not broadcast";
        out_batch[d] = l != 1 ? l : r;
        batches *= out_batch[d];
    }
    if (batches * A * C != mc_elements(out)) return "output size differs";
    int32_t mul = 0;
    int shift = 0;
    if (lhs->type == MC_INT8 || lhs->type == MC_INT16) {
        /* GetQuantizedConvolutionMultipler without bias: float product of the scales, over the output scale, in double */
        mc_quantize_multiplier((double) (scale0(lhs) * scale0(rhs)) / (double) scale0(out), &mul, &shift);
        if (lhs->type == MC_INT16 && (zp0(lhs) || zp0(rhs) || zp0(out))) return "int16 needs zero points 0";
    } else if (lhs->type != MC_FLOAT32) {
        return "BATCH_MATMUL takes float32, int8, int16";
    }
    for (long b = 0; b < batches; b++) {
        long lo = batch_offset(lhs, out_batch, batch_rank, b), ro = batch_offset(rhs, out_batch, batch_rank, b);
        for (int i = 0; i < A; i++)
            for (int j = 0; j < C; j++) {
                long at = (b * A + i) * C + j;
                float fsum = 0.0f;
                int64_t isum = 0;
                for (int k = 0; k < B; k++) {
                    long li = lo + (adj_x ? (long) k * A + i : (long) i * B + k);
                    long ri = ro + (adj_y ? (long) j * B + k : (long) k * C + j);
                    if (lhs->type == MC_FLOAT32) fsum += getf(rhs, ri) * getf(lhs, li);
                    else if (lhs->type == MC_INT8) isum = (int32_t) ((uint32_t) isum + (uint32_t) ((geti(rhs, ri) - zp0(rhs)) * (geti(lhs, li) - zp0(lhs))));
                    else isum += (int64_t) geti(rhs, ri) * geti(lhs, li);
                }
                if (lhs->type == MC_FLOAT32) putf(out, at, fsum);
                else if (lhs->type == MC_INT8) puti(out, at, clampi(mc_mbqm((int32_t) isum, mul, shift) + zp0(out), -128, 127));
                else puti(out, at, clampi(mc_mbqm64(isum, mul, shift), -32768, 32767));
            }
    }
    return NULL;
}

int mc_run_batch_matmul(mc_case *c, const char **error) {
    if (strcmp(c->op, "BATCH_MATMUL")) return 0;
    *error = batch_matmul(c);
    return 1;
}
