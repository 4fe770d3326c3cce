package dev.minnow.math;

import dev.minnow.math.FixedPoint;

/**
 * TFLM's int16 lookup tables (common.h LUTPopulateInt16 / LUTLookup): 513 samples of a float function over the
 * input range, each biased by half the midpoint interpolation error, all in float arithmetic; lookups interpolate
 * linearly between neighbouring samples with 7 fraction bits.
 */
public final class Lut16 {
    public static final int SIZE = 513;

    private Lut16() {}

    public interface FloatFn { float apply(float x); }

    public static short[] populate(float inputScale, int inputZeroPoint, float outputScale, int outputZeroPoint, FloatFn f) {
        short[] lut = new short[SIZE];
        float inputMin = inputScale * (float) (-32768 - inputZeroPoint);
        float inputMax = inputScale * (float) (32767 - inputZeroPoint);
        float outputMin = outputScale * (float) (-32768 - outputZeroPoint);
        float outputMax = outputScale * (float) (32767 - outputZeroPoint);
        final int steps = 512;
        float step = (inputMax - inputMin) / steps;
        float halfStep = step / 2;
        float scalingInv = 65536f / (outputMax - outputMin);
        float tableMin = -32768f, tableMax = 32767f;
        for (int i = 0; i < steps; i++) {
            float val = f.apply(inputMin + i * step);
            float valMid = f.apply(inputMin + i * step + halfStep);
            float valNext = f.apply(inputMin + (i + 1) * step);
            float sample = FixedPoint.round(val * scalingInv);
            float midInterp = FixedPoint.round((valNext * scalingInv + FixedPoint.round(val * scalingInv)) / 2);
            float midVal = FixedPoint.round(valMid * scalingInv);
            float midErr = midInterp - midVal;
            float bias = FixedPoint.round(midErr / 2);
            lut[i] = (short) Math.min(Math.max(sample - bias, tableMin), tableMax);
        }
        lut[steps] = (short) Math.min(Math.max(FixedPoint.round(f.apply(inputMax) * scalingInv), tableMin), tableMax);
        return lut;
    }

    public static short lookup(short value, short[] lut) {
        int index = 256 + (value >> 7);
        int offset = value & 0x7f;
        int base = lut[index];
        int slope = lut[index + 1] - lut[index];
        int delta = (slope * offset + 64) >> 7;
        return (short) (base + delta);
    }
}
