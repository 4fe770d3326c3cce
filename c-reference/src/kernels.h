/* Reference kernels with TFLite Micro's arithmetic. Each returns NULL on success or an error message. */
#ifndef MINNOW_CREF_KERNELS_H
#define MINNOW_CREF_KERNELS_H
#include "spec.h"

const char *mc_run(mc_case *c);

/* kernels in their own files */
const char *mc_div(mc_case *c);                 /* div.c */
const char *mc_split(mc_case *c);               /* split.c */
const char *mc_unpack(mc_case *c);              /* split.c */
const char *mc_sigmoid_int16(mc_case *c, int tanh_op);  /* act16.c: int16 LOGISTIC (0) or TANH (1) */
const char *mc_softmax_int16(mc_case *c);       /* act16.c */
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
