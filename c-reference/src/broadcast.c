#include "tensor_io.h"
#include <stdlib.h>

long *mc_broadcast_map(const mc_tensor *t, const mc_tensor *out) {
    int rank = out->rank, shift = rank - t->rank;
    if (shift < 0) return NULL;
    long stride[MC_MAX_RANK], s = 1;
    for (int d = rank - 1; d >= 0; d--) {
        int dim = d >= shift ? t->dims[d - shift] : 1;
        if (dim != 1 && dim != out->dims[d]) return NULL;
        stride[d] = dim == 1 ? 0 : s;
        s *= dim;
    }
    long n = mc_elements(out);
    long *map = malloc(sizeof(long) * (size_t) (n + 1));
    if (!map) return NULL;
    int coord[MC_MAX_RANK] = {0};
    for (long i = 0; i < n; i++) {
        long x = 0;
        for (int d = 0; d < rank; d++) x += coord[d] * stride[d];
        map[i] = x;
        for (int d = rank - 1; d >= 0; d--) { if (++coord[d] < out->dims[d]) break; coord[d] = 0; }
    }
    return map;
}
