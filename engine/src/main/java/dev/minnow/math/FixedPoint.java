package dev.minnow.math;

/**
 * All of TFLM's fixed-point arithmetic in one place: quantized multipliers derived with frexp and C's round(),
 * the gemmlowp primitives (saturating rounding doubling high multiply, rounding divide by a power of two), and
 * gemmlowp's fixed-point exp, logistic, tanh and 1/(1+x) on int32 Q-formats. Integer overflow wraps exactly as
 * the C code compiled without sanitizers does; where C relies on arithmetic right shifts Java's {@code >>} matches.
 *
 * <p>A Q-format with {@code integerBits} integer bits stores real value {@code raw / 2^(31 - integerBits)}.
 */
public final class FixedPoint {
    private FixedPoint() {}

    // ------------------------------------------------------------------ C library semantics

    /** C's round(): halfway cases away from zero (Java's Math.round rounds them up). */
    public static double round(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return x;
        double a = Math.abs(x);
        double t = Math.floor(a);
        if (a - t >= 0.5) t += 1.0; // a - floor(a) is exact in binary floating point
        return Math.copySign(t, x);
    }

    /** C's roundf(). */
    public static float round(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) return x;
        float a = Math.abs(x);
        float t = (float) Math.floor(a);
        if (a - t >= 0.5f) t += 1.0f;
        return Math.copySign(t, x);
    }

    /**
     * {@code static_cast<int32_t>(f)} as x86-64 executes it (cvttss2si): truncation toward zero, and INT32_MIN for
     * NaN and values outside the int32 range (C leaves those undefined; the goldens were made on x86-64).
     */
    public static int toInt32X86(float f) {
        if (!(f >= -2147483648f && f < 2147483648f)) return Integer.MIN_VALUE;
        return (int) f;
    }

    /** The same for a double (cvttsd2si). */
    public static int toInt32X86(double d) {
        if (!(d >= -2147483648.0 && d < 2147483648.0)) return Integer.MIN_VALUE;
        return (int) d;
    }

    /** C's frexp mantissa: {@code x = frexpMantissa(x) * 2^frexpExponent(x)}, |mantissa| in [0.5, 1). */
    public static double frexpMantissa(double x) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) return x;
        return Math.scalb(x, -frexpExponent(x)); // exact power-of-two scaling, also for subnormals
    }

    /** C's frexp exponent (0 for zero, NaN and infinities). */
    public static int frexpExponent(double x) {
        if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) return 0;
        int e = Math.getExponent(x);
        if (e == Double.MIN_EXPONENT - 1) { // subnormal
            return Math.getExponent(x * 0x1p54) - 54 + 1;
        }
        return e + 1;
    }

    // ------------------------------------------------------------------ multipliers

    /**
     * TFLM's QuantizeMultiplier: {@code m * 2^(shift-31) ≈ real}, with the mantissa rounded by C's round() and the
     * special cases of the reference code (zero, mantissa rounding up to 2^31, shifts below -31 flushed to zero).
     */
    public static QuantizedMultiplier quantizeMultiplier(double real) {
        if (real == 0.0) return QuantizedMultiplier.ZERO;
        double q = frexpMantissa(real);
        int shift = frexpExponent(real);
        long qFixed = (long) round(q * (double) (1L << 31));
        if (qFixed > (1L << 31)) throw new QuantizationException("multiplier " + real + " cannot be quantized");
        if (qFixed == (1L << 31)) {
            qFixed /= 2;
            ++shift;
        }
        if (shift < -31) {
            shift = 0;
            qFixed = 0;
        }
        return new QuantizedMultiplier((int) qFixed, shift);
    }

    /** QuantizeMultiplierSmallerThanOneExp: requires 0 < real < 1; the shift is <= 0. */
    public static QuantizedMultiplier quantizeMultiplierSmallerThanOne(double real) {
        if (!(real > 0 && real < 1)) throw new QuantizationException("multiplier " + real + " is not in (0, 1)");
        return quantizeMultiplier(real);
    }

    /** QuantizeMultiplierGreaterThanOne: requires real > 1; the shift is >= 0. */
    public static QuantizedMultiplier quantizeMultiplierGreaterThanOne(double real) {
        if (!(real > 1)) throw new QuantizationException("multiplier " + real + " is not > 1");
        return quantizeMultiplier(real);
    }

    /** gemmlowp SaturatingRoundingDoublingHighMul: round(a*b / 2^31), saturating the single overflow case. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == b && a == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31)); // C++ integer division truncates toward zero, as Java's
    }

    /** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero; 0 <= exponent <= 31. */
    public static int roundingDivideByPOT(int x, int exponent) {
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** The same on a 64-bit value (used by int64 reference paths). */
    public static long roundingDivideByPOT(long x, int exponent) {
        long mask = (1L << exponent) - 1;
        long remainder = x & mask;
        long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> exponent) + (remainder > threshold ? 1 : 0);
    }

    /** TFLM's MultiplyByQuantizedMultiplier (double rounding): SRDHM(x * 2^left, m) then rounding right shift. */
    public static int multiplyByQuantizedMultiplier(int x, int quantizedMultiplier, int shift) {
        int leftShift = shift > 0 ? shift : 0;
        int rightShift = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier), rightShift);
    }

    /**
     * TFLM's MultiplyByQuantizedMultiplier for int64 accumulators (int16 activations): the multiplier is reduced
     * to 16 bits and applied with one rounding shift; the result is truncated to int32 as in C.
     */
    public static int multiplyByQuantizedMultiplier(long x, int quantizedMultiplier, int shift) {
        int reduced = quantizedMultiplier < 0x7FFF0000 ? (quantizedMultiplier + (1 << 15)) >> 16 : 0x7FFF;
        int totalShift = 15 - shift;
        long y = x * (long) reduced + (1L << (totalShift - 1));
        return (int) (y >> totalShift);
    }

    /** MultiplyByQuantizedMultiplierSmallerThanOneExp: RDBPOT(SRDHM(x, m), -leftShift), leftShift <= 0. */
    public static int multiplyByQuantizedMultiplierSmallerThanOneExp(int x, int quantizedMultiplier, int leftShift) {
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, quantizedMultiplier), -leftShift);
    }

    /** MultiplyByQuantizedMultiplierGreaterThanOne: SRDHM(x * 2^leftShift, m), leftShift >= 0. */
    public static int multiplyByQuantizedMultiplierGreaterThanOne(int x, int quantizedMultiplier, int leftShift) {
        return saturatingRoundingDoublingHighMul(x * (1 << leftShift), quantizedMultiplier);
    }

    /** gemmlowp SaturatingRoundingMultiplyByPOT: x * 2^exponent, saturating for exponent > 0, rounding for < 0. */
    public static int saturatingRoundingMultiplyByPOT(int x, int exponent) {
        if (exponent == 0) return x;
        if (exponent < 0) return roundingDivideByPOT(x, -exponent);
        int threshold = (1 << (31 - exponent)) - 1;
        if (x > threshold) return Integer.MAX_VALUE;
        if (x < -threshold) return Integer.MIN_VALUE;
        return x << exponent;
    }

    /** gemmlowp RoundingHalfSum on int32: (a + b) / 2 rounded, computed in 64 bits. */
    public static int roundingHalfSum(int a, int b) {
        long sum = (long) a + (long) b;
        long sign = sum >= 0 ? 1 : -1;
        return (int) ((sum + sign) / 2);
    }

    /** Number of leading zero bits of an unsigned 32-bit value (32 for 0). */
    public static int countLeadingZeros(int x) { return Integer.numberOfLeadingZeros(x); }

    /** TFLM's CountLeadingSignBits. */
    public static int countLeadingSignBits(int x) {
        if (x >= 0) return Integer.numberOfLeadingZeros(x) - 1;
        if (x == Integer.MIN_VALUE) return 0;
        return Integer.numberOfLeadingZeros(2 * -x - 1);
    }

    /** TFLM's CalculateInputRadius: the largest |input - zero point| that does not saturate the rescaled input. */
    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift, int totalSignedBits) {
        double maxInputRescaled = 1.0 * ((1 << inputIntegerBits) - 1) * (double) (1L << (totalSignedBits - inputIntegerBits))
                / (double) (1L << inputLeftShift);
        return (int) Math.floor(maxInputRescaled);
    }

    public static int calculateInputRadius(int inputIntegerBits, int inputLeftShift) {
        return calculateInputRadius(inputIntegerBits, inputLeftShift, 31);
    }

    // ------------------------------------------------------------------ gemmlowp fixed-point functions (int32)

    /** 1.0 in a Q-format with {@code integerBits} integer bits, saturated to INT32_MAX when integerBits == 0. */
    public static int one(int integerBits) {
        return integerBits == 0 ? Integer.MAX_VALUE : 1 << (31 - integerBits);
    }

    /** Product of two Q-format values: raw SRDHM; the result has the sum of the integer bits. */
    public static int mul(int a, int b) { return saturatingRoundingDoublingHighMul(a, b); }

    /** Rescales a raw value from {@code fromIntegerBits} to {@code toIntegerBits} (gemmlowp Rescale). */
    public static int rescale(int raw, int fromIntegerBits, int toIntegerBits) {
        return saturatingRoundingMultiplyByPOT(raw, fromIntegerBits - toIntegerBits);
    }

    /** exp(a) for a in [-1/4, 0), a and the result in Q0.31. */
    public static int expOnIntervalBetweenNegativeOneQuarterAnd0Excl(int a) {
        final int constantTerm = 1895147668;      // exp(-1/8)
        final int constantOneThird = 715827883;   // 1/3
        int x = a + (1 << 28);                     // a + 1/8
        int x2 = mul(x, x);
        int x3 = mul(x2, x);
        int x4 = mul(x2, x2);
        int x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
        int poly = saturatingRoundingMultiplyByPOT(mul(x4Over4 + x3, constantOneThird) + x2, -1);
        return constantTerm + mul(constantTerm, x + poly);
    }

    /** exp(a) for a <= 0, a with {@code integerBits} integer bits, result in Q0.31 (gemmlowp exp_on_negative_values). */
    public static int expOnNegativeValues(int a, int integerBits) {
        final int fractionalBits = 31 - integerBits;
        final int oneQuarter = 1 << (fractionalBits - 2);
        final int mask = oneQuarter - 1;
        int aModQuarterMinusOneQuarter = (a & mask) - oneQuarter;
        int result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
        int remainder = aModQuarterMinusOneQuarter - a;
        result = barrel(result, remainder, integerBits, fractionalBits, -2, 1672461947);
        result = barrel(result, remainder, integerBits, fractionalBits, -1, 1302514674);
        result = barrel(result, remainder, integerBits, fractionalBits, 0, 790015084);
        result = barrel(result, remainder, integerBits, fractionalBits, 1, 290630308);
        result = barrel(result, remainder, integerBits, fractionalBits, 2, 39332535);
        result = barrel(result, remainder, integerBits, fractionalBits, 3, 720401);
        result = barrel(result, remainder, integerBits, fractionalBits, 4, 242);
        if (integerBits > 5) {
            int clamp = -(1 << (36 - integerBits)); // -32.0 in the input format
            if (a < clamp) result = 0;
        }
        return a == 0 ? Integer.MAX_VALUE : result;
    }

    private static int barrel(int result, int remainder, int integerBits, int fractionalBits, int exponent, int multiplier) {
        if (integerBits > exponent) {
            int shiftAmount = fractionalBits + exponent;
            if ((remainder & (1 << shiftAmount)) != 0) return mul(result, multiplier);
        }
        return result;
    }

    /** 1 / (1 + a) for a in [0, 1], a in Q0.31, result in Q0.31 (Newton-Raphson as in gemmlowp). */
    public static int oneOverOnePlusXForXIn01(int a) {
        int halfDenominator = roundingHalfSum(a, Integer.MAX_VALUE);
        int x = newtonReciprocal(halfDenominator);
        // ExactMulByPot<-1> turns Q2.29 into Q1.30 with the same raw value; then rescale to Q0.31.
        return rescale(x, 1, 0);
    }

    /** (1 - a) / (1 + a) for a in [0, 1], Q0.31 in and out. */
    public static int oneMinusXOverOnePlusXForXIn01(int a) {
        int halfDenominator = roundingHalfSum(a, Integer.MAX_VALUE);
        int x = newtonReciprocal(halfDenominator);
        return rescale(x - one(2), 2, 0);
    }

    /** Three Newton-Raphson steps for 1 / halfDenominator, halfDenominator in Q0.31 within [0.5, 1], result Q2.29. */
    private static int newtonReciprocal(int halfDenominator) {
        final int constant48Over17 = 1515870810;   // Q2.29
        final int constantNeg32Over17 = -1010580540; // Q2.29
        int x = constant48Over17 + mul(halfDenominator, constantNeg32Over17);
        for (int i = 0; i < 3; i++) {
            int halfDenominatorTimesX = mul(halfDenominator, x);             // Q2.29
            int oneMinus = one(2) - halfDenominatorTimesX;                   // Q2.29
            x = x + rescale(mul(x, oneMinus), 4, 2);                         // Q4.27 -> Q2.29
        }
        return x;
    }

    /** gemmlowp logistic: input with {@code integerBits} integer bits, result in Q0.31. */
    public static int logistic(int a, int integerBits) {
        if (a == 0) return 1 << 30;
        int absInput = a > 0 ? a : -a;
        int resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(-absInput, integerBits));
        return a > 0 ? resultIfPositive : Integer.MAX_VALUE - resultIfPositive;
    }

    /** gemmlowp tanh: input with {@code integerBits} integer bits, result in Q0.31. */
    public static int tanh(int a, int integerBits) {
        if (a == 0) return 0;
        int n = a < 0 ? a : -a;
        // ExactMulByPot<1>: same raw value read with one more integer bit, i.e. 2*n.
        int t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, integerBits + 1));
        return a < 0 ? -t : t;
    }

    /**
     * gemmlowp GetReciprocal as used by TFLM's softmax: 1/x for x with {@code integerBits} integer bits.
     * Returns the reciprocal in Q0.31 and writes the number of headroom bits into {@code numBitsOverUnit[0]}.
     */
    public static int getReciprocal(int x, int integerBits, int[] numBitsOverUnit) {
        int headroomPlusOne = Integer.numberOfLeadingZeros(x);
        numBitsOverUnit[0] = integerBits - headroomPlusOne;
        int shiftedSumMinusOne = (int) (((long) x << headroomPlusOne) - (1L << 31));
        return oneOverOnePlusXForXIn01(shiftedSumMinusOne);
    }

    /**
     * TFLM's GetInvSqrtQuantizedMultiplierExp: 1/sqrt(input) as a multiplier and shift, by five Newton-Raphson steps
     * in Q3.28; {@code reverseShift} (-1 in TFLM's kernels) flips the shift's sign convention.
     */
    public static QuantizedMultiplier invSqrtQuantizedMultiplierExp(int input, int reverseShift) {
        if (input <= 1) return new QuantizedMultiplier(Integer.MAX_VALUE, 0);
        int shift = 11;
        while (input >= (1 << 29)) {
            input /= 4;
            ++shift;
        }
        int maxLeftShiftBits = Integer.numberOfLeadingZeros(input) - 1;
        int leftShiftBitPairs = maxLeftShiftBits / 2 - 1;
        shift -= leftShiftBitPairs;
        input <<= 2 * leftShiftBitPairs;
        int fixedInput = input >> 1;                                  // Q3.28
        int halfInput = saturatingRoundingMultiplyByPOT(fixedInput, -1);
        int halfThree = (1 << 28) + (1 << 27);                        // 1.5 in Q3.28
        int x = one(3);
        for (int i = 0; i < 5; i++) {
            int x3 = rescale(mul(mul(x, x), x), 9, 3);
            x = rescale(mul(halfThree, x) - mul(halfInput, x3), 6, 3);
        }
        x = mul(x, 1518500250);                                       // sqrt(2)/2 in Q0.31
        if (shift < 0) {
            x <<= -shift;
            shift = 0;
        }
        return new QuantizedMultiplier(x, shift * reverseShift);
    }

    // ------------------------------------------------------------------ int16 (gemmlowp FixedPoint<int16_t>)

    /** gemmlowp SaturatingRoundingDoublingHighMul on int16: round(a*b / 2^15), saturating (-32768)^2. */
    public static short saturatingRoundingDoublingHighMul(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) return Short.MAX_VALUE;
        int ab = a * b;
        int nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
        return (short) ((ab + nudge) / (1 << 15));
    }

    /** gemmlowp RoundingDivideByPOT on int16 values. */
    public static short roundingDivideByPOT(short x, int exponent) {
        int mask = (1 << exponent) - 1;
        int remainder = x & mask;
        int threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (short) ((x >> exponent) + (remainder > threshold ? 1 : 0));
    }

    /** TFLM's DownScaleInt32ToInt16Multiplier: rounds a Q0.31 multiplier to Q0.15, saturating. */
    public static short downScaleInt32ToInt16Multiplier(int multiplier) {
        final int roundingOffset = 1 << 15;
        if (multiplier >= Integer.MAX_VALUE - roundingOffset) return Short.MAX_VALUE;
        return (short) ((multiplier + roundingOffset) >> 16);
    }
}
