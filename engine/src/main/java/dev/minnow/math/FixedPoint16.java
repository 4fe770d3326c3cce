package dev.minnow.math;

/**
 * The int16 sigmoid and tanh that TFLM's LSTM (lstm_eval) uses: TFLite's interpolated table of sigmoid(i/24)
 * in unsigned 0.16 format (reference_integer_ops::Logistic/Tanh on int16), not gemmlowp's FixedPoint<int16>.
 *
 * <p>The table is sigmoid(i/24) * 65536 rounded to nearest and capped at 65535, then raised by one unit at the
 * entries where TFLite's published table was tuned upwards (the {@link #TUNED} bit string); a unit test pins the
 * resulting values.
 */
public final class FixedPoint16 {
    private FixedPoint16() {}

    /** '+' where TFLite's table is one unit above round(65536 * sigmoid(i / 24)). */
    private static final String TUNED =
        "0000+000+000+0++++0++++00+0+++++0+++0+0+++0++++00++000+0000000+++0+000000000000000+000+000000+000000"
        + "+00+00000000+000+000000000000000000+0000000000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000+";

    private static final int[] SIGMOID_TABLE = buildTable();

    private static int[] buildTable() {
        if (TUNED.length() != 256) throw new AssertionError("sigmoid table corrections: " + TUNED.length());
        int[] t = new int[256];
        for (int i = 0; i < 256; i++) {
            double v = 65536.0 / (1.0 + Math.exp(-i / 24.0));
            int r = (int) Math.min(65535, Math.floor(v + 0.5));
            t[i] = r + (TUNED.charAt(i) == '+' ? 1 : 0);
        }
        return t;
    }

    /** Entry i of the sigmoid table (0 <= i < 256), unsigned 0.16. */
    public static int sigmoidTable(int i) { return SIGMOID_TABLE[i]; }

    /**
     * Input scaling as TFLM's int16 Logistic/Tanh set it up: a zero multiplier means "power of two", replaced by
     * 3 << leftShift with no shift. Returns {multiplier, shift} to pass to {@link #logistic}/{@link #tanh}.
     */
    public static int[] inputScaling(int inputMultiplier, int inputLeftShift) {
        if (inputMultiplier == 0) return new int[] {3 << inputLeftShift, 0};
        return new int[] {inputMultiplier, inputLeftShift};
    }

    private static int scaleInput(int x, int multiplier, int shift) {
        int round = shift > 0 ? 1 << (shift - 1) : 0;
        return (x * multiplier + round) >> shift;
    }

    /** int16 logistic: output Q0.15 of sigmoid(input), input scaled by {@link #inputScaling}. */
    public static short logistic(int x, int multiplier, int shift) {
        int in = scaleInput(x, multiplier, shift);
        int abs = Math.abs(in);
        int uh = abs >>> 9;
        int result;
        if (uh >= 255) {
            result = 0x7FFF << 10;
        } else {
            int ua = SIGMOID_TABLE[uh];
            int ub = SIGMOID_TABLE[uh + 1];
            int ut = abs & 0x1FF;
            result = (ua << 9) + ut * (ub - ua);
        }
        result = in >= 0 ? result + (1 << 9) : (1 << 25) - result + (1 << 9) - 1;
        return (short) (result >>> 10);
    }

    /** int16 tanh: output Q0.15 of tanh(input), via tanh(x) = 2 sigmoid(2x) - 1 on the same table. */
    public static short tanh(int x, int multiplier, int shift) {
        int in = scaleInput(x, multiplier, shift);
        int abs = Math.abs(in);
        int uh = abs >>> 8;
        int result;
        if (uh >= 255) {
            result = 0xFFFF << 8;
        } else {
            int ua = SIGMOID_TABLE[uh];
            int ub = SIGMOID_TABLE[uh + 1];
            int ut = abs & 0xFF;
            result = (ua << 8) + ut * (ub - ua);
        }
        result = in >= 0 ? result - (1 << 23) + (1 << 7) : -result + (1 << 23) + (1 << 7) - 1;
        return (short) (result >> 8);
    }
}
