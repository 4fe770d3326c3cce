package dev.minnow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Padding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backpropagated gradients of every layer type, every activation and both losses against central finite differences,
 * with respect to every weight and every input value.
 */
class GradientTest {
    /** Float finite differences: step 3e-3 (relative for values above 1); error within 1e-5 + 1e-3 relative. */
    private static final double EPS = 3e-3;
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-3;

    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        for (Loss loss : Loss.values()) {
            for (Activation a : Activation.values()) {
                cases.add(Arguments.of("dense vector " + a, NetworkBuilder.input(5).dense(4, a).dense(3, Activation.LINEAR), loss));
            }
            cases.add(Arguments.of("dense per time step", NetworkBuilder.input(4, 3).dense(5, Activation.TANH).dense(2, Activation.SIGMOID), loss));
            cases.add(Arguments.of("lstm sequences", NetworkBuilder.input(5, 3).lstm(4, true).dense(2, Activation.LINEAR), loss));
            cases.add(Arguments.of("lstm last step", NetworkBuilder.input(6, 2).lstm(3, false), loss));
            cases.add(Arguments.of("lstm stacked", NetworkBuilder.input(4, 2).lstm(3, true).lstm(2, false).dense(1, Activation.LINEAR), loss));
            cases.add(Arguments.of("conv1d same s1", NetworkBuilder.input(7, 3).conv1d(4, 3, 1, 1, Padding.SAME, Activation.TANH), loss));
            cases.add(Arguments.of("conv1d same s2 k4", NetworkBuilder.input(9, 2).conv1d(3, 4, 2, 1, Padding.SAME, Activation.LINEAR), loss));
            cases.add(Arguments.of("conv1d valid s3", NetworkBuilder.input(10, 2).conv1d(3, 3, 3, 1, Padding.VALID, Activation.SIGMOID), loss));
            cases.add(Arguments.of("conv1d same dilation 2", NetworkBuilder.input(8, 2).conv1d(3, 3, 1, 2, Padding.SAME, Activation.RELU), loss));
            cases.add(Arguments.of("conv1d valid dilation 3", NetworkBuilder.input(9, 2).conv1d(2, 2, 1, 3, Padding.VALID, Activation.TANH), loss));
            cases.add(Arguments.of("conv1dT same s2 k3", NetworkBuilder.input(4, 3).conv1dTranspose(2, 3, 2, Padding.SAME, Activation.TANH), loss));
            cases.add(Arguments.of("conv1dT same s2 k4", NetworkBuilder.input(3, 2).conv1dTranspose(3, 4, 2, Padding.SAME, Activation.LINEAR), loss));
            cases.add(Arguments.of("conv1dT same s3 k2", NetworkBuilder.input(3, 2).conv1dTranspose(2, 2, 3, Padding.SAME, Activation.SIGMOID), loss));
            cases.add(Arguments.of("conv1dT valid s2 k3", NetworkBuilder.input(4, 2).conv1dTranspose(3, 3, 2, Padding.VALID, Activation.RELU6), loss));
            cases.add(Arguments.of("conv1dT same s1 k5", NetworkBuilder.input(5, 2).conv1dTranspose(2, 5, 1, Padding.SAME, Activation.LINEAR), loss));
            cases.add(Arguments.of("dropout", NetworkBuilder.input(6).dense(8, Activation.TANH).dropout(0.4f).dense(3, Activation.LINEAR), loss));
            cases.add(Arguments.of("dropout on input", NetworkBuilder.input(4, 3).dropout(0.25f).lstm(3, false), loss));
            cases.add(Arguments.of("flatten and reshape", NetworkBuilder.input(4, 3).flatten().dense(6, Activation.TANH).reshape(3, 2)
                    .conv1d(2, 2, 1, 1, Padding.SAME, Activation.LINEAR), loss));
            cases.add(Arguments.of("conv autoencoder", NetworkBuilder.input(8, 3)
                    .conv1d(4, 3, 2, 1, Padding.SAME, Activation.RELU).dropout(0.2f)
                    .conv1d(2, 3, 2, 1, Padding.SAME, Activation.RELU)
                    .conv1dTranspose(2, 3, 2, Padding.SAME, Activation.RELU)
                    .conv1dTranspose(4, 3, 2, Padding.SAME, Activation.RELU)
                    .conv1dTranspose(3, 3, 1, Padding.SAME, Activation.LINEAR), loss));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("networks")
    void gradientsMatchFiniteDifferences(String name, NetworkBuilder builder, Loss loss) {
        FloatNetwork net = TestNets.randomised(builder.build(name, 7), 11, 0.5f);
        float[][] x = TestNets.samples(3, Op.size(net.inputShape()), 21, 1f);
        float[][] y = TestNets.samples(3, new FloatPredictor(net).outputSize(), 31, 1f);
        GradientCheck.Outcome o = new GradientCheck(net, x, y, loss, EPS, ATOL, RTOL).run();
        assertEquals(0, o.failures(), o.toString());
        assertTrue(o.skippedAtKinks() * 8 <= o.compared() + o.skippedAtKinks(), "too many kinks: " + o);
        assertTrue(o.compared() > 0, o.toString());
    }

    @Test
    void checkerCatchesAWrongGradient() {
        // the checker itself must fail on a gradient that is off: compare against a network whose weights differ slightly
        FloatNetwork net = TestNets.randomised(NetworkBuilder.input(4).dense(3, Activation.TANH).build("n", 1), 2, 0.5f);
        float[][] x = TestNets.samples(2, 4, 3, 1f);
        float[][] y = TestNets.samples(2, 3, 4, 1f);
        GradientCheck good = new GradientCheck(net, x, y, Loss.MSE, EPS, ATOL, RTOL);
        assertEquals(0, good.run().failures());
        GradientCheck bad = new GradientCheck(net, x, y, Loss.MSE, EPS, ATOL, RTOL) {
            @Override double loss(float[] p, float[][] inputs) { return 1.05 * super.loss(p, inputs); }
        };
        assertTrue(bad.run().failures() > 0);
    }
}
