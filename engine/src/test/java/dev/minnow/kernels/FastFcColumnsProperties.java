package dev.minnow.kernels;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * FastFullyConnected's scalar int8 loops (four weights packed per int, and the dot rows of nodes with few outputs) give
 * the plain sum of products, over a column range that starts anywhere (a split within a batch): the packed loop with
 * every depth's mix of pairs of quads, a lone quad and int tail rows.
 */
class FastFcColumnsProperties {

    @Property(tries = 1000)
    void packedColumnsAndDotRowsSumAlike(@ForAll @IntRange(min = 1, max = 70) int rows, @ForAll @IntRange(min = 1, max = 90) int depth,
                                     @ForAll long seed) {
        Random r = new Random(seed);
        byte[] w = new byte[rows * depth + 3];
        r.nextBytes(w);
        int wo = 3;
        // the int8 input and its offset (-zero point), as the dot rows read them, and as the ints the packed loop reads
        byte[] in = new byte[depth + 5];
        r.nextBytes(in);
        int io = r.nextInt(6), offset = r.nextInt(256) - 127;
        int[] x = new int[depth + 2];
        int xo = 2;
        for (int d = 0; d < depth; d++) x[xo + d] = in[io + d] + offset;
        int[] bias = new int[rows];
        for (int c = 0; c < rows; c++) bias[c] = r.nextInt();
        int[] expected = bias.clone();
        for (int c = 0; c < rows; c++) {
            for (int d = 0; d < depth; d++) expected[c] += w[wo + c * depth + d] * x[xo + d];
        }
        int c0 = rows > 1 ? r.nextInt(rows / 2 + 1) : 0, c1 = rows;
        for (int c = 0; c < c0; c++) expected[c] = bias[c];

        int[][] packed = FastFullyConnected.packQuads(w, wo, rows, depth);
        int[][] quads = java.util.Arrays.copyOfRange(packed, 0, depth / 4);
        int[][] tail = java.util.Arrays.copyOfRange(packed, depth / 4, packed.length);
        int[] viaPacked = bias.clone();
        FastFullyConnected.packedColumns(quads, tail, x, xo, viaPacked, c0, c1);
        // the dot rows: weights by input byte of each quad and the tail, the quads' offset folded into the sums first
        int q = depth / 4;
        int[][][] byByte = new int[rows][4][q];
        int[][] dotTail = new int[rows][depth % 4];
        int[] viaDots = bias.clone();
        for (int c = 0; c < rows; c++) {
            for (int d = 0; d < depth; d++) {
                int v = w[wo + c * depth + d];
                if (d < 4 * q) {
                    byByte[c][d % 4][d / 4] = v;
                    if (c >= c0) viaDots[c] += offset * v;
                } else {
                    dotTail[c][d - 4 * q] = v;
                }
            }
        }
        int[] xq = new int[q];
        for (int i = 0; i < q; i++) xq[i] = dev.minnow.util.LittleEndian.getInt(in, io + 4 * i);
        FastFullyConnected.dotRows(byByte, dotTail, xq, in, io + 4 * q, offset, viaDots, c0, c1);
        assertArrayEquals(expected, viaPacked);
        assertArrayEquals(expected, viaDots);
    }
}
