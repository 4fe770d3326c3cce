package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * VectorLstmCell's int-lane rescales against the scalar ones they replace (FastLstmCell.Rescale/Mul, themselves checked
 * against FixedPoint by FastLstmCellProperties) on any int, the extremes included, with multipliers of every scale and lengths that
 * leave a scalar tail. Needs the Vector API module: {@code mvn -o -pl testkit test -Pvector-api}; without it the
 * tests report as skipped.
 */
class VectorLstmCellProperties {
    private static final int TRIES = 1000;
    private final Random random = new Random(16);

    @BeforeEach
    void needsVectorApi() {
        Assumptions.assumeTrue(FastLoops.VECTOR_API, "the Vector API module is not present (run with -Pvector-api)");
    }

    private int anyInt() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt();
            case 1 -> random.nextInt(140001) - 70000;
            case 2 -> new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30)}[random.nextInt(8)];
            default -> random.nextInt() >> random.nextInt(32);
        };
    }

    private FastLstmCell.Rescale anyRescale() {
        QuantizedMultiplier m = switch (random.nextInt(4)) {
            case 0 -> FixedPoint.quantizeMultiplier(Math.pow(2, -31 + 46 * random.nextDouble()));
            case 1 -> FixedPoint.quantizeMultiplier(Math.pow(2, random.nextInt(46) - 31));
            case 2 -> new QuantizedMultiplier(random.nextInt(Integer.MAX_VALUE), -random.nextInt(32));
            default -> new QuantizedMultiplier(random.nextBoolean() ? Integer.MAX_VALUE : 0, random.nextInt(40) - 31);
        };
        FastLstmCell.Rescale q = FastLstmCell.Rescale.of(m.multiplier(), m.shift());
        return q.laneable() ? q : anyRescale();
    }

    @Test
    void rescaleIsScalarRescalePerGate() {
        for (int t = 0; t < TRIES; t++) {
            int per = 1 + random.nextInt(60), n = 4 * per;
            FastLstmCell.Rescale[] q = {anyRescale(), anyRescale(), anyRescale(), anyRescale()};
            VectorLstmCell.Rescales lanes = new VectorLstmCell.Rescales(q, per, n);
            int[] x = new int[n], plus = new int[n], out = new int[n];
            for (int j = 0; j < n; j++) {
                x[j] = anyInt();
                plus[j] = random.nextInt(65536) - 32768;
            }
            VectorLstmCell.rescale(x, lanes, q, per, plus, out, n);
            for (int j = 0; j < n; j++) {
                int scaled = q[j / per].apply(x[j]);
                int expected = sat16(sat16(scaled) + plus[j]);
                int jj = j;
                assertEquals(expected, out[j], () -> "element " + jj + " of " + n + ": " + x[jj] + " by " + q[jj / per]);
            }
        }
    }

    @Test
    void mulIsScalarMul() {
        for (int t = 0; t < TRIES; t++) {
            int n = 1 + random.nextInt(70);
            boolean int8 = random.nextBoolean();
            FastLstmCell.Rescale r = anyRescale();
            FastLstmCell.Mul m = new FastLstmCell.Mul(r, random.nextInt(256) - 128, int8 ? -128 : -32768, int8 ? 127 : 32767);
            int lo = random.nextInt(65536) - 32768, hi = random.nextBoolean() ? 32767 : random.nextInt(32768);
            int[] a = new int[n], b = new int[n], plus = new int[n], out = new int[n];
            for (int e = 0; e < n; e++) {
                a[e] = random.nextInt(65536) - 32768;
                b[e] = random.nextInt(65536) - 32768;
                plus[e] = random.nextInt(65536) - 32768;
            }
            VectorLstmCell.mul(a, b, m, plus, lo, hi, out, n);
            for (int e = 0; e < n; e++) {
                int expected = Math.max(Math.min(sat16(plus[e] + m.apply(a[e], b[e])), hi), lo);
                int ee = e;
                assertEquals(expected, out[e], () -> "element " + ee + ": " + a[ee] + " * " + b[ee] + " by " + m);
            }
        }
    }

    private static int sat16(int v) { return Math.min(32767, Math.max(-32768, v)); }
}
