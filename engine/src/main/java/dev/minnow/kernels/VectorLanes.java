package dev.minnow.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one vector width every Vector API kernel uses ({@link VectorFc}, {@link VectorConv},
 * {@link VectorDepthwise}): 256 bits, 8 int or float lanes. Loaded only with {@code jdk.incubator.vector}.
 *
 * <p>One width for all, on purpose: the JDK's vector classes share methods (the lane operations, {@code fromArray},
 * {@code intoArray}) whose receiver-type profiles collect every caller's species. With two int shapes in one process
 * (the FC loops once used the preferred 512-bit species on AVX-512 while the convolutions used 256 bits), C2 on JDK 17
 * compiled those methods as a two-type dispatch and boxed the vectors: KWS allocated 2.1 MB per invoke and ran slower
 * than without the Vector API. 256 bits is the preferred width on AVX2 machines and the one the convolutions' channel
 * padding ({@link ConvWindow#LANES}) is built for.
 */
final class VectorLanes {
    /** Int lanes. */
    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256;
    /** Float lanes, as many as {@link #INTS}. */
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    /** 64-bit lanes of the int8 output stage (4 per vector). */
    static final VectorSpecies<Long> LONGS = LongVector.SPECIES_256;
    /** As many byte lanes as {@link #INTS} has int lanes (a quarter of its width), for widening int8 weights. */
    static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_64;
    /** Lanes per int or float vector. */
    static final int LANES = 8;

    static {
        if (INTS.length() != LANES || FLOATS.length() != LANES || BYTES.length() != LANES || LANES != ConvWindow.LANES)
            throw new AssertionError("vector lanes: ints " + INTS.length() + ", floats " + FLOATS.length()
                    + ", bytes " + BYTES.length() + ", conv padding " + ConvWindow.LANES + ", expected " + LANES);
        warmOperatorProfiles();
    }

    /** Operations of {@link #warmOperatorProfiles}: enough for C1's profiling code to be installed while they run. */
    private static final int WARM_OPERATIONS = 1000;

    /**
     * Sends three kinds of lane operator (associative, binary, unary) through the JDK's {@code VectorOperators.opKind},
     * so that the profile of its cast of the operator is polymorphic before any kernel runs. Why: every lane operation
     * calls opKind, and if C2 compiles one of the JDK's vector methods while that profile has seen one kind only, it
     * speculates on that kind, the next kind deoptimises it and opKind's method data keeps a class_check trap. C2 adds
     * a method's trap count once per inlined copy of it: a kernel of a few dozen lane operations ({@link VectorLibm}'s
     * tanhf, ~100 of them) then passes PerMethodTrapLimit (100) and is compiled without type speculation: the
     * receivers of its last operations are no longer known exactly, the final {@code intoArray} cannot be intrinsified
     * and every vector of the loop is boxed (on main, mnist_lstm float allocated 170 KB per invoke and ran ~1.5x slower in
     * 6 of 10 JMH forks and 8 of 9 fresh JVMs: whether opKind traps depends on when the JDK's methods are compiled).
     */
    private static void warmOperatorProfiles() {
        FloatVector f = FloatVector.zero(FLOATS);
        IntVector v = IntVector.zero(INTS);
        for (int i = 0; i < WARM_OPERATIONS; i++) {
            f = f.add(f).sub(f).neg();
            v = v.add(v).sub(v).neg();
        }
    }

    private VectorLanes() {}
}
