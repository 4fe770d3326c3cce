package dev.minnow.writer;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.quant.Agreement;
import dev.minnow.writer.quant.AgreementReport;
import dev.minnow.writer.quant.DetectorCheck;
import dev.minnow.writer.quant.Quantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitecturesTest {

    static Stream<Arguments> architectures() {
        return Stream.of(
                Arguments.of("dense_ae", Architectures.denseAutoencoder(11), Architectures.spectra(21, 200), Architectures.spectra(31, 100)),
                Arguments.of("lstm", Architectures.lstmForecaster(12), Architectures.series(22, 200), Architectures.series(32, 100)),
                Arguments.of("conv_ae", Architectures.convAutoencoder(13), Architectures.sensors(23, 200), Architectures.sensors(33, 100)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void floatModelComputesTheKerasFunction(String name, FloatNetwork net, float[][] calib, float[][] test) {
        byte[] bytes = NetworkWriter.write(net);
        Model m = Model.load(bytes);
        RoundTripCorpusTest.assertSameModel(m, Model.load(ModelWriter.write(m)), name);
        Interpreter it = new Interpreter(m);
        it.allocateTensors();
        double worst = 0;
        for (float[] x : test) {
            it.reset();
            it.getInputTensor(0).copyFrom(x);
            it.invoke();
            float[] y = new float[it.getOutputTensor(0).numElements()];
            it.getOutputTensor(0).copyTo(y);
            double[] ref = KerasReference.predict(net, x);
            for (int i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - ref[i]) / (1 + Math.abs(ref[i])));
        }
        System.out.printf("%s float: %d bytes, ops %s, worst relative difference to Keras %.3g%n", name, bytes.length,
                m.opCodes(), worst);
        assertTrue(worst < 1e-4, name + " differs from the Keras reference by " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void int8Agrees(String name, FloatNetwork net, float[][] calib, float[][] test) {
        Model fm = Model.load(NetworkWriter.write(net));
        for (DataType io : new DataType[] {DataType.FLOAT32, DataType.INT8}) {
            long t0 = System.nanoTime();
            Quantizer.Result r = Quantizer.quantize(fm, calib, new Quantizer.Options(io, io, true));
            Model qm = Model.load(r.model());
            RoundTripCorpusTest.assertSameModel(qm, Model.load(ModelWriter.write(qm)), name);
            DetectorCheck.ScoreFunction score = name.equals("lstm") ? (i, x, y) -> Math.abs(y[0] - x[x.length - 1])
                    : DetectorCheck.reconstructionError();
            AgreementReport onCalib = Agreement.measure(fm, qm, calib, new DetectorCheck(score, 0.5));
            AgreementReport onTest = Agreement.measure(fm, qm, test, null);
            System.out.printf("%s int8 (%s io) in %d ms: %d bytes, ops %s%n calib: %s test: %s", name, io.lowerName(),
                    (System.nanoTime() - t0) / 1_000_000, r.model().length, qm.opCodes(), onCalib.format(), onTest.format());
        }
    }
}
