package dev.minnow.writer.quant;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;

/**
 * The one place this package runs minnow's engine: a model allocated once, each sample invoked from a fresh
 * state (variables reset, as every corpus input set starts), any tensor read back as real values (int8 and int16
 * dequantized with its scale and zero point).
 */
final class Engine {
    private final Interpreter interpreter;
    private final int inputElements;

    /** The model allocated under {@code budget}; a model over it fails with a BudgetExceededException. */
    Engine(Model model, ModelBudget budget) {
        if (model.mainSubgraph().inputs().length != 1) {
            throw new IllegalArgumentException("model has " + model.mainSubgraph().inputs().length + " inputs; only single-input models are supported");
        }
        interpreter = new Interpreter(model, new InterpreterOptions().setBudget(budget));
        interpreter.allocateTensors();
        inputElements = interpreter.getInputTensor(0).numElements();
    }

    /** Element count of the input. */
    int inputElements() { return inputElements; }

    /** Runs one sample from a fresh state; float inputs are quantized for int8 models. */
    void invoke(float[] sample) {
        if (sample.length != inputElements) {
            throw new IllegalArgumentException("sample has " + sample.length + " values, the model input takes " + inputElements);
        }
        interpreter.reset();
        Tensor in = interpreter.getInputTensor(0);
        switch (in.dataType()) {
            case FLOAT32 -> in.copyFrom(sample);
            case INT8 -> {
                byte[] q = new byte[sample.length];
                double scale = in.scale();
                for (int i = 0; i < q.length; i++) {
                    double v = QuantMath.roundHalfAway(sample[i] / scale) + in.zeroPoint();
                    q[i] = (byte) Math.max(-128, Math.min(127, v));
                }
                in.copyFrom(q);
            }
            default -> throw new IllegalArgumentException("input type " + in.dataType().lowerName() + " is not float32 or int8");
        }
        interpreter.invoke();
    }

    /** Number of outputs. */
    int outputCount() { return interpreter.getOutputTensorCount(); }

    /** Output {@code k} as real values. */
    float[] output(int k) { return real(interpreter.getOutputTensor(k)); }

    /** Tensor {@code index} of the main subgraph as real values (valid for outputs right after invoke). */
    float[] tensor(int index) { return real(interpreter.getTensor(index)); }

    private static float[] real(Tensor t) {
        float[] v = new float[t.numElements()];
        if (t.dataType() == DataType.FLOAT32) {
            t.copyTo(v);
            return v;
        }
        double scale = t.scale();
        int zp = t.zeroPoint();
        if (t.dataType() == DataType.INT8) {
            byte[] q = new byte[v.length];
            t.copyTo(q);
            for (int i = 0; i < v.length; i++) v[i] = (float) (scale * (q[i] - zp));
        } else if (t.dataType() == DataType.INT16) {
            short[] q = new short[v.length];
            t.copyTo(q);
            for (int i = 0; i < v.length; i++) v[i] = (float) (scale * (q[i] - zp));
        } else {
            throw new IllegalArgumentException("tensor '" + t.name() + "' of type " + t.dataType().lowerName() + " has no real values");
        }
        return v;
    }
}
