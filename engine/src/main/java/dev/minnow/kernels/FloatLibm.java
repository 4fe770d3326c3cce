package dev.minnow.kernels;

/**
 * Stand-in for the libm float functions TFLM's float kernels call (expf, tanhf, logf), until
 * dev.minnow.math.Libm (glibc-exact) lands: every call site goes through here so the swap is one file.
 */
final class FloatLibm {
    private FloatLibm() {}

    static float expf(float x) { return (float) Math.exp(x); }

    static float tanhf(float x) { return (float) Math.tanh(x); }

    static float logf(float x) { return (float) Math.log(x); }
}
