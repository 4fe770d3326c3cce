package dev.minnow.kernels;

import dev.minnow.interpreter.BuiltinOpResolver;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.ops.Ops;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.OpKernel;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FULLY_CONNECTED: what TFLM accepts and rejects where minnow once differed, and how it reads odd inputs. The audit
 * behind these tests is in this package's package-info.
 */
class FullyConnectedTest {

    private static ModelWriter fc(long filterZeroPoint, int weightsFormat) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 4}, q(0.5f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {2, 4}, q(0.25f, filterZeroPoint), new byte[] {1, 2, 3, 4, -1, -2, -3, -4});
        int bias = b.addConstant("bias", DataType.INT32, new int[] {2}, q(0.125f, 0), ints(0, 0));
        int out = b.addTensor("out", DataType.INT8, new int[] {1, 2}, q(0.125f, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w, bias}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0, "weightsFormat", weightsFormat));
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void fullyConnectedRejectsAFilterZeroPointAsTflmsDebugBuildAborts() {
        // fully_connected_common.cc: TFLITE_DCHECK(filter->params.zero_point == 0)
        rejects(fc(3, 0), "filter->params.zero_point == 0", "3");
    }

    @Test
    void fullyConnectedIgnoresTheWeightsFormatLikeTflm() {
        // TFLM's micro kernel never reads weights_format: a "shuffled" format runs as the default one
        Interpreter i = allocate(fc(0, 1));
        byte[] out = new byte[2];
        i.runForMultipleInputsOutputs(new Object[] {new byte[] {1, 1, 1, 1}}, Map.of(0, out));
        // sum(w) = 10 and -10 at input*filter scale 0.125 on an output scale of 0.125
        assertArrayEquals(new byte[] {10, -10}, out);
    }

    private static ModelWriter fc16(DataType biasType, float outputScale) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {1, 2}, q(1f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {1, 2}, q(1f, 0), new byte[] {1, 1});
        int bias = biasType == DataType.INT64 ? b.addConstant("bias", biasType, new int[] {1}, q(1f, 0), longs(0))
                : b.addConstant("bias", biasType, new int[] {1}, q(1f, 0), ints(0));
        int out = b.addTensor("out", DataType.INT16, new int[] {1, 1}, q(outputScale, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w, bias}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        return b.setInputs(in).setOutputs(out);
    }

    // int16 activations with 64-bit accumulators: MultiplyByQuantizedMultiplier(int64_t ...) asserts shift < 8
    @Test
    void int16FullyConnectedWithAnInt64AccumulatorRejectsAnEffectiveScaleOf128OrMore() {
        // effective scale 1 * 1 / (1/256) = 256 = 2^8 -> shift 9
        rejects(fc16(DataType.INT64, 1f / 256), "shift >= -31 && shift < 8", "shift 9");
        allocate(fc16(DataType.INT64, 1f / 64));   // 64: shift 7
        allocate(fc16(DataType.INT32, 1f / 256));  // int32 accumulator: the int32 overload has no such check
    }

    @Test
    void floatFullyConnectedNeedsAsManyFilterRowsAsOutputs() {
        // reference fully_connected.h (float): MatchingDim(weights_shape, rows, output_shape, depth) DCHECKs equality;
        // the int8 kernel only DCHECKs output depth <= rows and stays accepted
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, 2}, null);
        int w = b.addConstant("w", DataType.FLOAT32, new int[] {3, 2}, null, new byte[24]);
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {1, 2}, null);
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        rejects(b.setInputs(in).setOutputs(out), "filter has 3 rows, float output depth is 2");

        ModelWriter q8 = new ModelWriter();
        in = q8.addTensor("in", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        w = q8.addConstant("w", DataType.INT8, new int[] {3, 2}, q(1f, 0), new byte[6]);
        out = q8.addTensor("out", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        q8.addOperator("FULLY_CONNECTED", 1, new int[] {in, w}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        allocate(q8.setInputs(in).setOutputs(out));
    }

    // TFLM's float and int8 conv-like kernels read the bias bytes as float / int32 without a type check
    @Test
    void int8FullyConnectedReadsAnInt64BiasAsInt32WordsLikeTflm() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {2, 2}, q(1f, 0), new byte[] {1, 1, 1, 1});
        int bias = b.addConstant("bias", DataType.INT64, new int[] {2}, q(1f, 0), longs(5, 7));
        int out = b.addTensor("out", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w, bias}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        Interpreter i = allocate(b.setInputs(in).setOutputs(out));
        byte[] o = new byte[2];
        i.runForMultipleInputsOutputs(new Object[] {new byte[] {1, 2}}, Map.of(0, o));
        // GetOptionalTensorData<int32_t>: bias[0] is the low word of 5, bias[1] its high word (0)
        assertArrayEquals(new byte[] {8, 3}, o);
    }

    @Test
    void aKernelReusingPrepareParamsWithItsOwnEvalRunsAsTheReferenceDoes() {
        // the seam a fast kernel uses (engine README, "Fast kernels"): TFLM's checks and derivations from
        // prepareParams, its own eval, registered with the reference descriptor's footprint and work count
        int[] evals = {0};
        OpKernel replaced = node -> {
            FullyConnected.Params p = FullyConnected.prepareParams(node);
            assertEquals(FullyConnected.Variant.INT8, p.variant());
            return () -> {
                evals[0]++;
                FullyConnected.evalInt8(p);
            };
        };
        OpDescriptor ref = Ops.all().get("FULLY_CONNECTED");
        BuiltinOpResolver resolver = BuiltinOpResolver.empty()
                .add(new OpDescriptor(ref.name(), () -> replaced, ref.footprint(), ref.work(), ref.callsLibm()));
        ModelWriter model = fc(0, 0);
        Interpreter reference = allocate(model);
        Interpreter seam = new Interpreter(Model.load(model.build()), new InterpreterOptions().setOpResolver(resolver));
        seam.allocateTensors();
        assertEquals(reference.arenaReport(), seam.arenaReport());
        byte[] expected = new byte[2], actual = new byte[2];
        Object[] in = {new byte[] {3, -7, 100, -128}};
        reference.runForMultipleInputsOutputs(in, Map.of(0, expected));
        seam.runForMultipleInputsOutputs(in, Map.of(0, actual));
        assertArrayEquals(expected, actual);
        assertEquals(1, evals[0]);
    }
}
