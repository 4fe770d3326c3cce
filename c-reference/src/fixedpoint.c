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

int32_t mc_srmbpot(int32_t x, int exponent) {
    if (exponent == 0) return x;
    if (exponent < 0) return mc_rdbpot(x, -exponent);
    int32_t threshold = (int32_t) ((1u << (31 - exponent)) - 1);
    if (x > threshold) return INT32_MAX;
    if (x < -threshold) return INT32_MIN;
    return (int32_t) ((uint32_t) x << exponent);
}

static int32_t add_wrap(int32_t a, int32_t b) { return (int32_t) ((uint32_t) a + (uint32_t) b); }
static int32_t sub_wrap(int32_t a, int32_t b) { return (int32_t) ((uint32_t) a - (uint32_t) b); }
static int32_t rescale(int32_t raw, int from_bits, int to_bits) { return mc_srmbpot(raw, from_bits - to_bits); }

/* exp(a) for a in [-1/4, 0), Q0.31 in and out: a Taylor polynomial around -1/8. */
static int32_t exp_quarter(int32_t a) {
    const int32_t c_exp_m8 = 1895147668, third = 715827883;
    int32_t x = add_wrap(a, 1 << 28);
    int32_t x2 = mc_srdhm(x, x), x3 = mc_srdhm(x2, x), x4 = mc_srdhm(x2, x2);
    int32_t x4_4 = mc_srmbpot(x4, -2);
    int32_t poly = mc_srmbpot(add_wrap(mc_srdhm(add_wrap(x4_4, x3), third), x2), -1);
    return add_wrap(c_exp_m8, mc_srdhm(c_exp_m8, add_wrap(x, poly)));
}

int32_t mc_exp_on_negative_values(int32_t a, int integer_bits) {
    const int frac = 31 - integer_bits;
    const int32_t quarter = 1 << (frac - 2), mask = quarter - 1;
    int32_t mod = sub_wrap(a & mask, quarter);
    int32_t result = exp_quarter(rescale(mod, integer_bits, 0));
    int32_t remainder = sub_wrap(mod, a);
    static const int32_t mult[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
    for (int k = 0; k < 7; k++) {
        int exponent = k - 2;
        if (integer_bits > exponent) {
            int shift = frac + exponent;
            if (remainder & (int32_t) (1u << shift)) result = mc_srdhm(result, mult[k]);
        }
    }
    if (integer_bits > 5) {
        int32_t clamp = -(1 << (36 - integer_bits));
        if (a < clamp) result = 0;
    }
    return a == 0 ? INT32_MAX : result;
}

static int32_t half_sum(int32_t a, int32_t b) {
    int64_t s = (int64_t) a + b;
    return (int32_t) ((s + (s >= 0 ? 1 : -1)) / 2);
}

/* Newton-Raphson for 1 / d, d = half denominator in Q0.31; result in Q2.29. */
static int32_t newton(int32_t d) {
    int32_t x = add_wrap(1515870810, mc_srdhm(d, -1010580540));
    for (int i = 0; i < 3; i++) {
        int32_t dx = mc_srdhm(d, x);
        int32_t one_minus = sub_wrap(1 << 29, dx);
        x = add_wrap(x, rescale(mc_srdhm(x, one_minus), 4, 2));
    }
    return x;
}

static int32_t one_over_one_plus_x(int32_t a) { return rescale(newton(half_sum(a, INT32_MAX)), 1, 0); }
static int32_t one_minus_x_over_one_plus_x(int32_t a) { return rescale(sub_wrap(newton(half_sum(a, INT32_MAX)), 1 << 29), 2, 0); }

int32_t mc_one_over_one_plus_x(int32_t a) { return one_over_one_plus_x(a); }

int32_t mc_logistic(int32_t a, int integer_bits) {
    if (a == 0) return 1 << 30;
    int32_t abs_a = a > 0 ? a : (int32_t) (0u - (uint32_t) a);
    int32_t pos = one_over_one_plus_x(mc_exp_on_negative_values((int32_t) (0u - (uint32_t) abs_a), integer_bits));
    return a > 0 ? pos : sub_wrap(INT32_MAX, pos);
}

int32_t mc_tanh(int32_t a, int integer_bits) {
    if (a == 0) return 0;
    int32_t n = a < 0 ? a : (int32_t) (0u - (uint32_t) a);
    int32_t t = one_minus_x_over_one_plus_x(mc_exp_on_negative_values(n, integer_bits + 1));
    return a < 0 ? (int32_t) (0u - (uint32_t) t) : t;
}

int32_t mc_reciprocal(int32_t x, int integer_bits, int *num_bits_over_unit) {
    int headroom = x == 0 ? 32 : __builtin_clz((uint32_t) x);
    *num_bits_over_unit = integer_bits - headroom;
    int32_t shifted = (int32_t) (((uint32_t) x << headroom) - (1u << 31));
    return one_over_one_plus_x(shifted);
}

int32_t mc_input_radius(int integer_bits, int left_shift) {
    double max = 1.0 * ((1 << integer_bits) - 1) * (double) (1LL << (31 - integer_bits)) / (double) (1LL << left_shift);
    return (int32_t) floor(max);
}

void mc_inv_sqrt(int32_t input, int reverse_shift, int32_t *multiplier, int *shift) {
    if (input <= 1) { *multiplier = INT32_MAX; *shift = 0; return; }
    int sh = 11;
    while (input >= (1 << 29)) { input /= 4; ++sh; }
    int pairs = (__builtin_clz((uint32_t) input) - 1) / 2 - 1;   /* normalise into [2^27, 2^29) */
    sh -= pairs;
    input = (int32_t) ((uint32_t) input << (2 * pairs));
    int32_t half = mc_srmbpot(input >> 1, -1);                    /* input/2 in Q3.28 */
    const int32_t three_halves = (1 << 28) + (1 << 27);
    int32_t x = 1 << 28;                                          /* 1.0 in Q3.28 */
    for (int i = 0; i < 5; i++) {                                 /* Newton: x = x * (3 - input * x^2) / 2 */
        int32_t x3 = rescale(mc_srdhm(mc_srdhm(x, x), x), 9, 3);
        x = rescale(sub_wrap(mc_srdhm(three_halves, x), mc_srdhm(half, x3)), 6, 3);
    }
    x = mc_srdhm(x, 1518500250);                                  /* times sqrt(2)/2 */
    if (sh < 0) { x = (int32_t) ((uint32_t) x << -sh); sh = 0; }
    *multiplier = x;
    *shift = sh * reverse_shift;
}

/* ---- int16 sigmoid/tanh (TFLite's 256-entry table of sigmoid(i / 24) in unsigned Q0.16, linearly interpolated) ----
 * '+' marks the entries where TFLite's published table sits one unit above round(65536 * sigmoid(i / 24)) (this
 * project's reconstruction, the same correction string as the Java engine's FixedPoint16). */
static const char SIGMOID_TUNED[] =
    "0000+000+000+0++++0++++00+0+++++0+++0+0+++0++++00++000+0000000+++0+000000000000000+000+000000+000000"
    "+00+00000000+000+000000000000000000+0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000+";
static uint32_t sigmoid_table[256];

static void build_sigmoid_table(void) {
    if (sigmoid_table[255]) return;
    for (int i = 0; i < 256; i++) {
        double r = floor(65536.0 / (1.0 + exp(-i / 24.0)) + 0.5);
        sigmoid_table[i] = (uint32_t) (r < 65535.0 ? r : 65535.0) + (SIGMOID_TUNED[i] == '+' ? 1u : 0u);
    }
}

static uint32_t abs_u32(int32_t v) { return v < 0 ? 0u - (uint32_t) v : (uint32_t) v; }

int16_t mc_logistic16(int32_t in) {
    build_sigmoid_table();
    uint32_t a = abs_u32(in), uh = a >> 9, r;
    if (uh >= 255) r = 0x7FFFu << 10;
    else r = (sigmoid_table[uh] << 9) + (a & 0x1FFu) * (sigmoid_table[uh + 1] - sigmoid_table[uh]);
    r = in >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1u;
    return (int16_t) (r >> 10);
}

int16_t mc_tanh16(int32_t in) {
    build_sigmoid_table();
    uint32_t a = abs_u32(in), uh = a >> 8;
    int32_t r;
    if (uh >= 255) r = 0xFFFF << 8;
    else r = (int32_t) ((sigmoid_table[uh] << 8) + (a & 0xFFu) * (sigmoid_table[uh + 1] - sigmoid_table[uh]));
    r = in >= 0 ? r - (1 << 23) + (1 << 7) : -r + (1 << 23) + (1 << 7) - 1;
    return (int16_t) (r >> 8);
}
