package dev.minnow.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The int32 dot product on the Vector API (JDK 17's incubator module {@code jdk.incubator.vector}). Only
 * {@link FastLoops#dot} calls it, and only when the JVM was started with the module ({@code --add-modules
 * jdk.incubator.vector}): without it this class is never loaded. Integer sums are exact modulo 2^32 in any order, so
 * the lanes' partial sums give the scalar loop's result. Until C2 has compiled these methods, every vector
 * is a heap object: invokes allocate during the (seconds long) warm-up, none after it (see benchmarks/README.md).
 */
final class VectorDot {
    private static final VectorSpecies<Integer> SPECIES = VectorLanes.INTS;

    private VectorDot() {}

    /** sum over i < n of a[ao + i] * b[bo + i], wrapping as int. */
    static int dot(int[] a, int ao, int[] b, int bo, int n) {
        int lanes = SPECIES.length(), i = 0;
        int sum = 0;
        if (n >= lanes) {
            IntVector s = IntVector.zero(SPECIES);
            for (; i <= n - lanes; i += lanes) {
                s = s.add(IntVector.fromArray(SPECIES, a, ao + i).mul(IntVector.fromArray(SPECIES, b, bo + i)));
            }
            sum = s.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    /**
     * Four dot products of rows {@code a[ao ...]}, {@code a[ao + stride ...]}, {@code a[ao + 2 stride ...]},
     * {@code a[ao + 3 stride ...]} with {@code b[bo ...]}, each over {@code n} elements, added to {@code out[at ... at + 3]}:
     * the rows share each load of {@code b}.
     */
    static void dot4(int[] a, int ao, int stride, int[] b, int bo, int n, int[] out, int at) {
        int lanes = SPECIES.length(), i = 0;
        int a0 = ao, a1 = ao + stride, a2 = a1 + stride, a3 = a2 + stride;
        int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (n >= lanes) {
            IntVector v0 = IntVector.zero(SPECIES), v1 = v0, v2 = v0, v3 = v0;
            for (; i <= n - lanes; i += lanes) {
                IntVector x = IntVector.fromArray(SPECIES, b, bo + i);
                v0 = v0.add(IntVector.fromArray(SPECIES, a, a0 + i).mul(x));
                v1 = v1.add(IntVector.fromArray(SPECIES, a, a1 + i).mul(x));
                v2 = v2.add(IntVector.fromArray(SPECIES, a, a2 + i).mul(x));
                v3 = v3.add(IntVector.fromArray(SPECIES, a, a3 + i).mul(x));
            }
            s0 = v0.reduceLanes(VectorOperators.ADD);
            s1 = v1.reduceLanes(VectorOperators.ADD);
            s2 = v2.reduceLanes(VectorOperators.ADD);
            s3 = v3.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            int x = b[bo + i];
            s0 += a[a0 + i] * x;
            s1 += a[a1 + i] * x;
            s2 += a[a2 + i] * x;
            s3 += a[a3 + i] * x;
        }
        out[at] += s0;
        out[at + 1] += s1;
        out[at + 2] += s2;
        out[at + 3] += s3;
    }
}
