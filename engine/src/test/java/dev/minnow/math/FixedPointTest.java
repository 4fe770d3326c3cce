package dev.minnow.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Edge cases of the fixed-point primitives, with expected values derived by hand from their definitions. */
class FixedPointTest {
    private static final int MIN = Integer.MIN_VALUE, MAX = Integer.MAX_VALUE;

    @Test
    void cRoundTakesHalfwayCasesAwayFromZeroUnlikeMathRound() {
        assertEquals(3.0, FixedPoint.round(2.5));
        assertEquals(-3.0, FixedPoint.round(-2.5));   // Math.round(-2.5) == -2
        assertEquals(-2.0, FixedPoint.round(-2.4999999999999996));
        assertEquals(0.0, FixedPoint.round(0.49999999999999994)); // floor(x + 0.5) would give 1
        assertEquals(-0.0, FixedPoint.round(-0.3));
        assertEquals(1.0f, FixedPoint.round(0.5f));
        assertEquals(-1.0f, FixedPoint.round(-0.5f));
    }

    @Test
    void frexpSplitsIntoMantissaInHalfOpenUnitAndExponent() {
        assertEquals(0.5, FixedPoint.frexpMantissa(1.0));
        assertEquals(1, FixedPoint.frexpExponent(1.0));
        assertEquals(-0.75, FixedPoint.frexpMantissa(-3.0));
        assertEquals(2, FixedPoint.frexpExponent(-3.0));
        assertEquals(0.5, FixedPoint.frexpMantissa(Double.MIN_VALUE));     // subnormal: 2^-1074
        assertEquals(-1073, FixedPoint.frexpExponent(Double.MIN_VALUE));
        assertEquals(0, FixedPoint.frexpExponent(0.0));
    }

    @Test
    void quantizeMultiplierMatchesTflmIncludingTheRoundUpAndTinyCases() {
        assertEquals(new QuantizedMultiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(1.0));
        assertEquals(new QuantizedMultiplier(1 << 30, 0), FixedPoint.quantizeMultiplier(0.5));
        assertEquals(new QuantizedMultiplier(1610612736, -2), FixedPoint.quantizeMultiplier(0.1875)); // 0.75 * 2^-2
        // mantissa just below 1 rounds to 2^31: halved and the shift bumped
        assertEquals(new QuantizedMultiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(Math.nextDown(1.0)));
        // below 2^-32 the multiplier is flushed to zero
        assertEquals(new QuantizedMultiplier(0, 0), FixedPoint.quantizeMultiplier(0x1p-40));
        assertEquals(QuantizedMultiplier.ZERO, FixedPoint.quantizeMultiplier(0.0));
        assertThrows(QuantizationException.class, () -> FixedPoint.quantizeMultiplierSmallerThanOne(0.0));
        assertThrows(QuantizationException.class, () -> FixedPoint.quantizeMultiplierGreaterThanOne(1.0));
    }

    @Test
    void saturatingRoundingDoublingHighMulAtTheEdges() {
        assertEquals(MAX, FixedPoint.saturatingRoundingDoublingHighMul(MIN, MIN)); // the one overflow
        assertEquals(MIN + 1, FixedPoint.saturatingRoundingDoublingHighMul(MIN, MAX));
        assertEquals(MAX - 1, FixedPoint.saturatingRoundingDoublingHighMul(MAX, MAX));
        assertEquals(1 << 29, FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30)); // 0.5 * 0.5
        // ties: 3 * 2^30 / 2^31 = 1.5; gemmlowp's nudge rounds +1.5 up to 2 and -1.5 toward zero, to -1
        assertEquals(2, FixedPoint.saturatingRoundingDoublingHighMul(3, 1 << 30));
        assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30));
        assertEquals(0, FixedPoint.saturatingRoundingDoublingHighMul(0, MIN));
    }

    @Test
    void roundingDivideByPowerOfTwoRoundsTiesAwayFromZero() {
        assertEquals(3, FixedPoint.roundingDivideByPOT(5, 1));    // 2.5 -> 3
        assertEquals(-3, FixedPoint.roundingDivideByPOT(-5, 1));  // -2.5 -> -3
        assertEquals(-2, FixedPoint.roundingDivideByPOT(-7, 2));  // -1.75 -> -2
        assertEquals(2, FixedPoint.roundingDivideByPOT(6, 2));    // 1.5 -> 2
        assertEquals(-1, FixedPoint.roundingDivideByPOT(MIN, 31));
        assertEquals(1, FixedPoint.roundingDivideByPOT(MAX, 31));
        assertEquals(0, FixedPoint.roundingDivideByPOT(1 << 29, 31));
        assertEquals(MIN, FixedPoint.roundingDivideByPOT(MIN, 0));
    }

    @Test
    void multiplyByQuantizedMultiplierBothVariants() {
        // x * 0.5 with multiplier 2^30, shift 0 (double rounding)
        assertEquals(3, FixedPoint.multiplyByQuantizedMultiplier(5, 1 << 30, 0));
        assertEquals(-2, FixedPoint.multiplyByQuantizedMultiplier(-5, 1 << 30, 0)); // SRDHM's tie on negatives: toward zero
        // shift -31: everything but the largest magnitudes rounds to zero
        assertEquals(0, FixedPoint.multiplyByQuantizedMultiplier(1 << 20, 1 << 30, -31));
        assertEquals(-1, FixedPoint.multiplyByQuantizedMultiplier(MIN, MAX, -31));
        // left shift wraps in 32 bits before the multiply, as the C code does
        assertEquals(FixedPoint.saturatingRoundingDoublingHighMul(3 << 30, 1 << 30),
                FixedPoint.multiplyByQuantizedMultiplier(3, 1 << 30, 30));
        // int64 variant: multiplier reduced to 16 bits, one rounding shift
        assertEquals(50, FixedPoint.multiplyByQuantizedMultiplier(100L, 1 << 30, 0));
        assertEquals(-50, FixedPoint.multiplyByQuantizedMultiplier(-100L, 1 << 30, 0));
        assertEquals(1 << 29, FixedPoint.multiplyByQuantizedMultiplier(1L << 40, 1 << 30, -10)); // 2^40 * 0.5 * 2^-10
        // multipliers from 0x7FFF0000 up saturate to 0x7FFF after the 16-bit reduction: 2^20 * 0x7FFF / 2^15
        assertEquals(0x7FFF << 5, FixedPoint.multiplyByQuantizedMultiplier(1L << 20, MAX, 0));
    }

    @Test
    void gemmlowpFunctionsHitTheirExactPoints() {
        assertEquals(MAX, FixedPoint.expOnNegativeValues(0, 5));          // exp(0) = 1, saturated
        assertEquals(0, FixedPoint.expOnNegativeValues(MIN, 6));          // below -32: flushed to zero
        assertEquals(1 << 30, FixedPoint.logistic(0, 4));                 // sigmoid(0) = 0.5
        assertEquals(0, FixedPoint.tanh(0, 4));
        int e1 = FixedPoint.expOnNegativeValues(-(1 << 26), 5);           // exp(-1) in Q0.31
        assertEquals(Math.exp(-1), e1 / 2147483648.0, 1e-6);
        int s1 = FixedPoint.logistic(1 << 27, 4);                         // sigmoid(1) in Q0.31
        assertEquals(1 / (1 + Math.exp(-1)), s1 / 2147483648.0, 1e-6);
        // logistic(-x) = 1 - logistic(x) exactly, as gemmlowp computes it
        assertEquals(MAX - s1, FixedPoint.logistic(-(1 << 27), 4));
        assertEquals(-FixedPoint.tanh(1 << 27, 4), FixedPoint.tanh(-(1 << 27), 4));
        int[] bits = new int[1];
        int r = FixedPoint.getReciprocal(1 << 19, 12, bits);              // 1 / 1.0 in Q12.19
        assertEquals(0, bits[0]);
        assertEquals(MAX, r, 2);
    }

    @Test
    void countLeadingSignBitsAndInputRadius() {
        assertEquals(31, FixedPoint.countLeadingSignBits(0));
        assertEquals(30, FixedPoint.countLeadingSignBits(1));
        assertEquals(31, FixedPoint.countLeadingSignBits(-1));
        assertEquals(0, FixedPoint.countLeadingSignBits(MIN));
        assertEquals(0, FixedPoint.countLeadingSignBits(MAX));
        // (2^4 - 1) * 2^27 / 2^20 = 15 * 128
        assertEquals(1920, FixedPoint.calculateInputRadius(4, 20));
    }

    @Test
    void x86FloatToIntConversionGivesIntMinOutOfRange() {
        assertEquals(MIN, FixedPoint.toInt32X86(Float.NaN));
        assertEquals(MIN, FixedPoint.toInt32X86(3e9f));
        assertEquals(MIN, FixedPoint.toInt32X86(-3e9f));
        assertEquals(-2, FixedPoint.toInt32X86(-2.9f));
        assertEquals(2147483520, FixedPoint.toInt32X86(2147483520f));
    }
}
