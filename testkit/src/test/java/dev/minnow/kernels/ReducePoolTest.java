package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.bits;
import static dev.minnow.kernels.KernelTests.i8;
import static dev.minnow.kernels.KernelTests.run;
import static dev.minnow.kernels.OneOpModel.allocated;
import static dev.minnow.kernels.OneOpModel.constant;
import static dev.minnow.kernels.OneOpModel.quantized;
import static dev.minnow.kernels.OneOpModel.tensor;
import static dev.minnow.writer.LeArrays.floats;
import static dev.minnow.writer.LeArrays.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** REDUCE_MAX, REDUCE_MIN, REDUCE_ALL and L2_POOL_2D on what the corpus does not reach, expectations worked by hand. */
class ReducePoolTest {
    static Interpreter reduce(String op, OneOpModel.Spec in, OneOpModel.Spec out, OneOpModel.Spec axis, boolean keepDims) {
        return allocated(op, "ReducerOptions", Map.of("keepDims", keepDims), out, in, axis);
    }

    @Test
    void floatMaxStartsFromTheLowestFloatAndNaNsNeverWin() {
        Interpreter i = reduce("REDUCE_MAX", tensor(DataType.FLOAT32, 3, 2), tensor(DataType.FLOAT32, 3),
                constant(DataType.INT32, ints(-1), 1), false);
        float inf = Float.POSITIVE_INFINITY;
        byte[] out = run(i, floats(-inf, -inf, Float.NaN, 1f, Float.NaN, Float.NaN));
        // all -inf reduce to -FLT_MAX, TFLM's initial value; NaN > x is false, so a NaN is never taken
        assertArrayEquals(bits(-Float.MAX_VALUE, 1f, -Float.MAX_VALUE), bits(out));
    }

    @Test
    void int8MinOverRepeatedAndNegativeAxesKeepingDims() {
        Interpreter i = reduce("REDUCE_MIN", quantized(DataType.INT8, 0.5f, 3, 2, 2, 2), quantized(DataType.INT8, 0.5f, 3, 1, 2, 1),
                constant(DataType.INT32, ints(0, -1, 2), 3), true);
        // dims 0 and 2 reduced (2 and -1 are the same axis): out[j] = min over i, k of in[i][j][k]
        assertArrayEquals(i8(-7, -128), run(i, i8(5, -7, 100, -128, 3, 4, 0, 9)));
    }

    @Test
    void reduceAllOverTheLastAxis() {
        Interpreter i = reduce("REDUCE_ALL", tensor(DataType.BOOL, 3, 2), tensor(DataType.BOOL, 3), constant(DataType.INT32, ints(1), 1), false);
        assertArrayEquals(i8(1, 0, 0), run(i, i8(1, 1, 0, 1, 0, 0)));
    }

    @Test
    void anEmptyInputLeavesTheInitialValue() {
        Interpreter i = reduce("REDUCE_MIN", quantized(DataType.INT8, 0.5f, 0, 0, 3), quantized(DataType.INT8, 0.5f, 0, 3),
                constant(DataType.INT32, ints(0), 1), false);
        assertArrayEquals(i8(127, 127, 127), run(i, new byte[0]));
    }

    @Test
    void aRuntimeAxisOutOfRangeFailsTheInvoke() {
        Interpreter i = reduce("REDUCE_MAX", tensor(DataType.FLOAT32, 2, 2), tensor(DataType.FLOAT32, 2), tensor(DataType.INT32, 1), false);
        assertArrayEquals(bits(2f, 4f), bits(run(i, floats(1, 2, 3, 4), ints(1))));
        assertThrows(MinnowException.class, () -> run(i, floats(1, 2, 3, 4), ints(2)));
    }

    @Test
    void refusesWhatTflmRejects() {
        OneOpModel.Spec axis = constant(DataType.INT32, ints(0), 1);
        // int8 MIN/MAX need the input's quantization on the output (TFLM's Eval); the axis must be int32; ALL takes bool
        assertThrows(MinnowException.class, () -> reduce("REDUCE_MAX", quantized(DataType.INT8, 0.5f, 0, 2), quantized(DataType.INT8, 0.25f, 0, 1), axis, false));
        assertThrows(MinnowException.class, () -> reduce("REDUCE_MAX", quantized(DataType.INT8, 0.5f, 0, 2), quantized(DataType.INT8, 0.5f, 1, 1), axis, false));
        assertThrows(MinnowException.class, () -> reduce("REDUCE_MIN", tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 1),
                constant(DataType.INT64, new byte[8], 1), false));
        assertThrows(MinnowException.class, () -> reduce("REDUCE_ALL", tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 1), axis, false));
        assertThrows(MinnowException.class, () -> reduce("REDUCE_MAX", tensor(DataType.INT16, 2), tensor(DataType.INT16, 1), axis, false));
        assertThrows(MinnowException.class, () -> reduce("REDUCE_MAX", tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 1),
                constant(DataType.INT32, ints(1), 1), false));
        // the reduction writes 3 elements; an output of 2 would be written past its end
        assertThrows(MinnowException.class, () -> reduce("REDUCE_MAX", tensor(DataType.FLOAT32, 2, 3), tensor(DataType.FLOAT32, 2), axis, false));
    }

    static Interpreter l2Pool(int[] in, int[] out, int filter, int stride, int padding, int activation) {
        return allocated("L2_POOL_2D", "Pool2DOptions", Map.of("padding", padding, "strideW", stride, "strideH", stride, "filterWidth", filter,
                "filterHeight", filter, "fusedActivationFunction", activation), tensor(DataType.FLOAT32, out), tensor(DataType.FLOAT32, in));
    }

    @Test
    void l2PoolIsTheRootMeanSquareOverTheTapsInsideTheImage() {
        // SAME 2x2 windows, stride 1 on a 2x2 image: the last row and column see fewer taps
        Interpreter i = l2Pool(new int[] {1, 2, 2, 1}, new int[] {1, 2, 2, 1}, 2, 1, KernelUtil.PADDING_SAME, 0);
        byte[] out = run(i, floats(3, 4, 0, 12));
        assertArrayEquals(bits((float) Math.sqrt(169f / 4), (float) Math.sqrt(160f / 2), (float) Math.sqrt(144f / 2), 12f),
                bits(out));
    }

    @Test
    void l2PoolClampsToTheFusedActivation() {
        Interpreter i = l2Pool(new int[] {1, 1, 2, 1}, new int[] {1, 1, 1, 1}, 2, 2, KernelUtil.PADDING_SAME, KernelUtil.ACT_RELU6);
        assertArrayEquals(bits(6f), bits(run(i, floats(10, 10))));
    }

    @Test
    void l2PoolRefusals() {
        // float32 only, 4-D only, and the output shape TFLM's Prepare writes must be the model's
        assertThrows(MinnowException.class, () -> allocated("L2_POOL_2D", "Pool2DOptions", Map.of("padding", 1, "strideW", 1, "strideH", 1,
                "filterWidth", 1, "filterHeight", 1), quantized(DataType.INT8, 1f, 0, 1, 2, 2, 1), quantized(DataType.INT8, 1f, 0, 1, 2, 2, 1)));
        assertThrows(MinnowException.class, () -> l2Pool(new int[] {2, 2, 1}, new int[] {2, 2, 1}, 1, 1, KernelUtil.PADDING_VALID, 0));
        assertThrows(MinnowException.class, () -> l2Pool(new int[] {1, 4, 4, 1}, new int[] {1, 4, 4, 1}, 2, 2, KernelUtil.PADDING_VALID, 0));
    }
}
