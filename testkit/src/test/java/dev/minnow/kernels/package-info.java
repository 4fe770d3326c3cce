/**
 * The kernel tests: one class per kernel or kernel family, named after the engine's kernel class ({@code Conv2DTest}
 * for {@code Conv2D}, {@code ArithmeticTest} for ADD/SUB, {@code SigmoidLikeTest} for LOGISTIC/TANH, ...); the
 * Java-vs-C properties live in {@code dev.minnow.cref}, the engine's own unit tests (e.g. {@code LstmCellTest}) in the
 * engine module.
 *
 * <h2>Acceptance audit</h2>
 * What each kernel accepts and rejects was audited against TFLM's kernels at 90b983c (every TF_LITE_ENSURE*,
 * TFLITE_DCHECK and unsupported-type return in Init/Prepare/Eval and the reference_ops they call). Each difference
 * found has a test in the op's class; the behaviours below were checked and already matched (no test):
 * <ul>
 * <li>ABS: float32/int8/int16; int8 (and quantized int16) need affine quantization on both sides, int16 zero points 0;
 *     unquantized int16 is std::abs.</li>
 * <li>ADD: int8/int16 need a quantized output, int32 inputs must be unquantized, other output types rejected;
 *     activation range from the output quantization (Quantize overflow check included).</li>
 * <li>ARG_MAX/ARG_MIN: float32/int8 input, int32 axis and output (TFLM rejects int64 at invoke), axis in range.</li>
 * <li>AVERAGE_POOL_2D/MAX_POOL_2D: float32/int8/int16; |in scale - out scale| <= 1e-6 and equal zero points; 4-D,
 *     matching batches and depth.</li>
 * <li>CAST: inputs int8/int16/int32/uint32/float32/bool, outputs int8/int16/int32/uint32/float32, equal flat sizes.</li>
 * <li>CONCATENATION: no activation; float32/int8/int16/int32/int64/bool; at most 10 inputs of rank <= 6; int8 inputs
 *     share the output scale (compared as doubles) and zero point; int16 zero points 0; shapes agree off the axis.</li>
 * <li>CONV_2D: input type == output type; float/float, int16/int8, int8/int8|int4 (else "Hybrid models");
 *     quantized filters affine with 1 or output-channels scales; int16 bias int32/int64 (else invoke error).</li>
 * <li>DEPTHWISE_CONV_2D: affine int8 filter, scale count 1 or channels, hybrid check, depth_multiplier relation,
 *     bias flat size == output depth even without a bias (DCHECK).</li>
 * <li>DEQUANTIZE: int8/int16/uint8 in, float32 out.</li>
 * <li>DIV: all types equal; float32/int32/int8; int32 inputs unquantized; zero divisor fails the invoke.</li>
 * <li>EXPAND_DIMS: constant int32 axis of rank <= 1, output shape checked dimension by dimension.</li>
 * <li>FLOOR: float32 only.</li>
 * <li>FULLY_CONNECTED: input type == output type, filter type per input type, per-channel scales == filter
 *     dimension, bias scale within 2% of input*filter scale per tensor.</li>
 * <li>GATHER: int32 positions, float32/int8 data, axis and batch_dims ranges, batch dimensions equal.</li>
 * <li>HARD_SWISH: float32/int8, output multiplier exponent <= 0.</li>
 * <li>LEAKY_RELU: input type == output type, float32/int8/int16.</li>
 * <li>LOGISTIC: int8 output zero point -128; int16 zero points 0 and output scale 2^-15.</li>
 * <li>MAXIMUM/MINIMUM: float32/int8/int16/int32/int64, broadcast.</li>
 * <li>MEAN: int32 axis, float32/int8/int16, axis values in range.</li>
 * <li>MUL: int16 zero points 0; int32 any quantization; activation ranges.</li>
 * <li>NEG: no Prepare in TFLM; float32 only (Eval); minnow rejects other types at allocation.</li>
 * <li>PACK/UNPACK: no Prepare; Eval types float32/int8/int16/int32 (+int64 for PACK), DCHECKed element counts.</li>
 * <li>PADV2: as PAD (shared Prepare), constant value type/scalar and int8 scale/zero point equality.</li>
 * <li>QUANTIZE: output affine with one scale; input/output type pairs of Prepare and Eval.</li>
 * <li>RESHAPE: 1-2 inputs, 1 output, types equal, element counts equal.</li>
 * <li>RSQRT/SQRT: TFLM's Prepare type check is a no-op (a cast of the type to a function pointer), so unsupported
 *     types fail in Eval; minnow rejects them at allocation; int8/int16 need affine quantization, int16 zero points 0,
 *     inputs below the zero point fail the invoke.</li>
 * <li>SPLIT: constant axis, Eval types float32/int8/int16/int32, output dims DCHECKed.</li>
 * <li>STRIDED_SLICE: rank <= 4, constant begin/end/strides, non-zero strides, CheckOutputSize.</li>
 * <li>SUM: int32 axis, 2 inputs/1 output, types float32/int8/int16 equal in and out, axis range DCHECK.</li>
 * <li>SVDF: every Prepare check incl. int8 bias scale, variable state, rank dividing filters, int8 without bias.</li>
 * <li>TANH: see SigmoidLike (int16 scale rules).</li>
 * <li>TRANSPOSE_CONV: hybrid check, filter affine with 1 or dim-0 scales, 4-D DCHECKs, bias size.</li>
 * <li>UNIDIRECTIONAL_SEQUENCE_LSTM: see {@code UnidirectionalSequenceLstmTest}.</li>
 * </ul>
 * Known and left as they are (TFLM's behaviour there is undefined or reads past a tensor, or the case is contrived):
 * inputs/outputs of a narrower type than TFLM reads them as; ADD with equal-shaped inputs whose output shape differs
 * but has as many elements; MEAN of a rank-0 input (TFLM skips the axis, minnow rejects the axis: shared Reduce);
 * data-dependent aborts (GATHER positions from a runtime tensor, int8 DIV's RoundingDivideByPOT exponent > 31),
 * which fail at invoke instead; output types TFLM overwrites in Prepare (GATHER, EXPAND_DIMS).
 */
package dev.minnow.kernels;
