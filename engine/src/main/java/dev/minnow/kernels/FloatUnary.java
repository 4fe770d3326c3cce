package dev.minnow.kernels;

import dev.minnow.math.FloatLibm;

/**
 * The float32-only element-wise math of TFLM: CEIL and ROUND (ceil.cc, round.cc: Prepare requires float32 and an output
 * of the input's shape), COS, SIN, LOG and SQUARE (elementwise.cc: Prepare's type check never fires, Eval requires
 * float32). COS, SIN and LOG are glibc's cosf, sinf and logf ({@link FloatLibm}).
 */
public final class FloatUnary extends Unary {
    /** The function. */
    public enum Function { CEIL, ROUND, COS, SIN, LOG, SQUARE }

    private final Function function;

    /** A kernel for one function. */
    public FloatUnary(Function function) { this.function = function; }

    @Override
    float apply(float x) {
        return switch (function) {
            case CEIL -> Float.isNaN(x) ? x : (float) Math.ceil(x); // gcc's inline ceilf returns a NaN untouched
            case ROUND -> roundHalfEven(x);
            case COS -> FloatLibm.cosf(x);
            case SIN -> FloatLibm.sinf(x);
            case LOG -> FloatLibm.logf(x);
            case SQUARE -> x * x;
        };
    }

    /** CEIL and ROUND check the output's bytes and every dimension against the input's. */
    @Override boolean requiresSameShape() { return function == Function.CEIL || function == Function.ROUND; }

    /**
     * TFLM's RoundToNearest: floor, then up when the fraction exceeds one half or is one half above an odd floor
     * (banker's rounding, computed in float: an infinite or NaN input comes back through floor + 1).
     */
    static float roundHalfEven(float value) {
        float floor = (float) Math.floor(value);
        float diff = value - floor;
        // a fraction of exactly 0.5 only occurs below 2^23, where the floor converts to int exactly
        if (diff < 0.5f || (diff == 0.5f && ((int) floor) % 2 == 0)) return floor;
        return floor + 1.0f;
    }
}
