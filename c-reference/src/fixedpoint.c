#include "fixedpoint.h"
#include <math.h>

void mc_quantize_multiplier(double real, int32_t *multiplier, int *shift) {
    if (real == 0.0) { *multiplier = 0; *shift = 0; return; }
    int e;
    double q = frexp(real, &e);
    int64_t fixed = (int64_t) round(q * (double) (1LL << 31));
    if (fixed == (1LL << 31)) { fixed /= 2; e++; }
    if (e < -31) { e = 0; fixed = 0; }
    *multiplier = (int32_t) fixed;
    *shift = e;
}

int32_t mc_srdhm(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    int64_t ab = (int64_t) a * (int64_t) b;
    int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t) ((ab + nudge) / (1LL << 31));
}

int32_t mc_rdbpot(int32_t x, int exponent) {
    int32_t mask = (int32_t) ((1LL << exponent) - 1);
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t mc_mbqm(int32_t x, int32_t multiplier, int shift) {
    int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    /* the left shift wraps in 32 bits, as in TFLM (computed unsigned to keep C defined) */
    int32_t shifted = (int32_t) ((uint32_t) x * (uint32_t) (1u << left));
    return mc_rdbpot(mc_srdhm(shifted, multiplier), right);
}

int32_t mc_mbqm64(int64_t x, int32_t multiplier, int shift) {
    int32_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    int total = 15 - shift;
    int64_t y = x * (int64_t) reduced + ((int64_t) 1 << (total - 1));
    return (int32_t) (y >> total);
}

int32_t mc_mbqm_smaller_than_one(int32_t x, int32_t multiplier, int left_shift) {
    return mc_rdbpot(mc_srdhm(x, multiplier), -left_shift);
}
