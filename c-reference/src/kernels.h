/* Reference kernels with TFLite Micro's arithmetic, one file per op family. Each returns NULL on success or an
 * error message; mc_run dispatches a case to its kernel by the case's op name (kernels.c). */
#ifndef MINNOW_CREF_KERNELS_H
#define MINNOW_CREF_KERNELS_H
#include "spec.h"

const char *mc_run(mc_case *c);

const char *mc_fully_connected(mc_case *c);     /* fully_connected.c */
const char *mc_conv_2d(mc_case *c);             /* conv.c */
const char *mc_depthwise_conv_2d(mc_case *c);   /* depthwise.c */
const char *mc_transpose_conv(mc_case *c);      /* transpose_conv.c */
const char *mc_average_pool_2d(mc_case *c);     /* pooling.c */
const char *mc_max_pool_2d(mc_case *c);         /* pooling.c */
const char *mc_add(mc_case *c);                 /* elementwise.c */
const char *mc_sub(mc_case *c);                 /* elementwise.c */
const char *mc_mul(mc_case *c);                 /* elementwise.c */
const char *mc_binary_misc(mc_case *c);         /* elementwise.c: SQUARED_DIFFERENCE, MAXIMUM, MINIMUM by c->op */
const char *mc_select_v2(mc_case *c);           /* elementwise.c */
const char *mc_div(mc_case *c);                 /* div.c */
const char *mc_activation(mc_case *c);          /* activations.c: LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU by c->op */
const char *mc_softmax(mc_case *c);             /* activations.c */
const char *mc_sigmoid_int16(mc_case *c, int tanh_op);  /* act16.c: int16 LOGISTIC (0) or TANH (1) */
const char *mc_softmax_int16(mc_case *c);       /* act16.c */
const char *mc_unary(mc_case *c);               /* unary.c: ABS, NEG, FLOOR, EXP, SQRT, RSQRT, HARD_SWISH by c->op */
const char *mc_quantize(mc_case *c);            /* conversion.c */
const char *mc_dequantize(mc_case *c);          /* conversion.c */
const char *mc_cast(mc_case *c);                /* conversion.c */
const char *mc_mean(mc_case *c);                /* reduce.c */
const char *mc_sum(mc_case *c);                 /* reduce.c */
const char *mc_arg_max(mc_case *c);             /* reduce.c */
const char *mc_arg_min(mc_case *c);             /* reduce.c */
const char *mc_copy(mc_case *c);                /* data_movement.c: RESHAPE, SQUEEZE, EXPAND_DIMS */
const char *mc_transpose(mc_case *c);           /* data_movement.c */
const char *mc_pad(mc_case *c);                 /* data_movement.c: PAD, PADV2 */
const char *mc_concatenation(mc_case *c);       /* data_movement.c */
const char *mc_gather(mc_case *c);              /* data_movement.c */
const char *mc_slice(mc_case *c);               /* data_movement.c */
const char *mc_pack(mc_case *c);                /* data_movement.c */
const char *mc_strided_slice(mc_case *c);       /* data_movement.c */
const char *mc_split(mc_case *c);               /* split.c */
const char *mc_unpack(mc_case *c);              /* split.c */
const char *mc_svdf(mc_case *c);                /* svdf.c */
/* UNIDIRECTIONAL_SEQUENCE_LSTM is mc_unidirectional_sequence_lstm in lstm.c (lstm.h) */

/* The custom ops TFLM ships (streaming.c: CIRCULAR_BUFFER, SignalDelay, SignalFramer, SignalStacker,
 * SignalOverlapAdd; detection.c; irfft.c): returns 1 and sets *error (NULL on success) when op names one of them. */
int mc_custom_op(mc_case *c, const char **error);
const char *mc_detection_postprocess(mc_case *c);   /* detection.c */
const char *mc_signal_irfft(mc_case *c);            /* irfft.c */
/* issue 12: comparisons, logic, math (compare_logic.c, math_ops.c, reduce_pool.c); *_handles says whether the op is theirs */
int mc_compare_logic_handles(const char *op);
const char *mc_compare_logic(mc_case *c);
int mc_math_ops_handles(const char *op);
const char *mc_math_ops(mc_case *c);
int mc_reduce_pool_handles(const char *op);
const char *mc_reduce_pool(mc_case *c);
/* TFLM_DECODE (decode.c): returns 1 and sets *error (NULL on success) when the case is one. */
int mc_run_decode(mc_case *c, const char **error);
/* A case's outputs: the tensor `output`, or else (multi-output ops) output0, output1, ... in order (split.c); fills
 * outs and returns the count, -1 when there are more than max. */
int mc_outputs(mc_case *c, mc_tensor **outs, int max);

#endif
