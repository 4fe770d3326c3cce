/* Fixed-point arithmetic of TFLite Micro's reference kernels (double rounding, as TFLM builds by default). */
#ifndef MINNOW_CREF_FIXEDPOINT_H
#define MINNOW_CREF_FIXEDPOINT_H
#include <stdint.h>

/* real ~= multiplier * 2^(shift - 31); frexp mantissa rounded with C round(). */
void mc_quantize_multiplier(double real, int32_t *multiplier, int *shift);
int32_t mc_srdhm(int32_t a, int32_t b);                       /* saturating rounding doubling high multiply */
int32_t mc_rdbpot(int32_t x, int exponent);                   /* rounding divide by 2^exponent */
int32_t mc_mbqm(int32_t x, int32_t multiplier, int shift);    /* MultiplyByQuantizedMultiplier, int32 */
int32_t mc_mbqm64(int64_t x, int32_t multiplier, int shift);  /* the int64 variant (16-bit multiplier) */
int32_t mc_mbqm_smaller_than_one(int32_t x, int32_t multiplier, int left_shift);

#endif

#ifndef MINNOW_CREF_FIXEDPOINT_EXTRA
#define MINNOW_CREF_FIXEDPOINT_EXTRA
/* gemmlowp-style fixed point on int32 Q-formats with the given integer bits. */
int32_t mc_srmbpot(int32_t x, int exponent);               /* saturating rounding multiply by 2^exponent */
int32_t mc_exp_on_negative_values(int32_t a, int integer_bits);
int32_t mc_logistic(int32_t a, int integer_bits);
int32_t mc_tanh(int32_t a, int integer_bits);
int32_t mc_reciprocal(int32_t x, int integer_bits, int *num_bits_over_unit);
int32_t mc_input_radius(int integer_bits, int left_shift);
void mc_inv_sqrt(int32_t input, int reverse_shift, int32_t *multiplier, int *shift); /* 1/sqrt(input) as multiplier, shift */
int32_t mc_one_over_one_plus_x(int32_t a);           /* 1/(1+a), a in [0, 1], Q0.31 in and out */
/* int16 logistic (input Q3.12 after the kernel's rescale, 9 fraction bits into the table) and tanh (8 bits); Q0.15 out */
int16_t mc_logistic16(int32_t in);
int16_t mc_tanh16(int32_t in);
#endif
