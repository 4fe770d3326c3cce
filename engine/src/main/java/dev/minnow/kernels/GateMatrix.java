package dev.minnow.kernels;

/**
 * A constant weight matrix ({@code rows x depth}, row-major as in the model) prepared for the matrix-vector products of
 * {@link FastLstm}. Int products wrap modulo 2^32 as the reference's int32 sums; each float output adds its products
 * (multiply, then add) in {@code d} order from {@code 0f}, the reference's order.
 *
 * <p>The scalar loop runs channel-innermost over one {@code int[]} / {@code float[]} per weight column: C2 (JDK 17)
 * vectorises {@code acc[r] += w0[r] * x0 + w1[r] * x1 + ...} only when every array is indexed by the loop variable
 * alone, without an invariant offset, and when no two references go into the same array at different offsets, so
 * columns are separate arrays and the accumulator row starts at index 0. Int8 matrices pack four weights
 * per int and take eight inputs a pass ({@link FastFullyConnected#packedColumns}, the int8 FC's loop): half the passes
 * over the {@code 4 units} outputs, each with C2's scalar pre- and post-loop, and a quarter of the weight bytes (JDK 17
 * defaults, both engines' jars on the boot class path, same run: mnist_lstm int8 22.2 against 24.1 us; the forecaster
 * within noise, 37.1-37.8 against 36.6-38.1 in three runs; JDK 25, same run: the forecaster 36.3 against 41.8 with an
 * int per weight, mnist_lstm int8 25.8 against 23.8, so one layout for every JDK). With the Vector API
 * the matrices run {@link VectorFc}'s loops instead: channel blocks, and row dot products for int8 rows of
 * {@value FastFullyConnected#VECTOR_ROWS_MIN} weights and more.
 */
final class GateMatrix {
    private GateMatrix() {}

    /** An int8 matrix: {@link #addProducts} adds {@code sum_d w[r][d] * x[d]} to {@code acc[r]}. */
    static final class Int8 {
        private final int rows, depth;
        private final boolean blocks;
        private final byte[] packed;     // Vector API: the weights as they are (long rows) or as [block][d][lane]
        /** Scalar: four weights per int ({@link FastFullyConnected#packQuads}) and the last depth % 4 columns as ints, or null. */
        private final int[][] quads, columns;

        /** The {@code rows x depth} int8 weights at {@code w[off...]}. */
        Int8(byte[] w, int off, int rows, int depth) {
            this.rows = rows;
            this.depth = depth;
            blocks = FastLoops.VECTOR_API && depth < FastFullyConnected.VECTOR_ROWS_MIN;
            if (blocks) {
                int lanes = VectorFc.LANES;
                packed = new byte[paddedRows() * depth];
                for (int r = 0; r < rows; r++) {
                    int base = (r / lanes) * depth * lanes + r % lanes;
                    for (int d = 0; d < depth; d++) packed[base + d * lanes] = w[off + r * depth + d];
                }
                columns = null;
                quads = null;
            } else if (FastLoops.VECTOR_API) {
                packed = java.util.Arrays.copyOfRange(w, off, off + rows * depth);
                columns = null;
                quads = null;
            } else {
                packed = null;
                int[][] all = FastFullyConnected.packQuads(w, off, rows, depth);
                quads = java.util.Arrays.copyOfRange(all, 0, depth / 4);
                columns = java.util.Arrays.copyOfRange(all, depth / 4, all.length);
            }
        }

        /** The length an accumulator row needs: {@code rows} rounded up to whole channel blocks when blocks are used. */
        int paddedRows() {
            return blocks ? (rows + VectorFc.LANES - 1) / VectorFc.LANES * VectorFc.LANES : rows;
        }

        /** Sum of each row's weights (for folding an input offset into a bias), as int and wrapping like the sums. */
        static int[] rowSums(byte[] w, int off, int rows, int depth) {
            return rowSums(w, off, rows, depth, false);
        }

        /**
         * The greatest magnitude of a row's products with inputs {@code x + offset}, {@code x} any int8 value:
         * the row's sum of weight magnitudes times {@code max(|-128 + offset|, |127 + offset|)}, exact in a long.
         */
        static long maxProduct(byte[] w, int off, int rows, int depth, int offset) {
            long most = 0;
            for (int m : rowSums(w, off, rows, depth, true)) most = Math.max(most, m);
            return most * Math.max(Math.abs(-128L + offset), Math.abs(127L + offset));
        }

        /** Each row's sum of its weights, or of their magnitudes (at most 128 times the depth: no overflow). */
        private static int[] rowSums(byte[] w, int off, int rows, int depth, boolean magnitudes) {
            int[] s = new int[rows];
            for (int r = 0; r < rows; r++) {
                int sum = 0;
                for (int d = 0; d < depth; d++) {
                    int v = w[off + r * depth + d];
                    sum += magnitudes ? Math.abs(v) : v;
                }
                s[r] = sum;
            }
            return s;
        }

        /** {@code acc[r] += sum_d w[r][d] * x[xo + d]} for every row r ({@code acc} holds {@link #paddedRows}; padding rows take garbage). */
        void addProducts(int[] x, int xo, int[] acc) {
            if (blocks) {
                VectorFc.channelBlocks(packed, depth, x, xo, acc, 0, 0, paddedRows() / VectorFc.LANES);
                return;
            }
            if (packed != null) {
                VectorFc.dotRows(packed, depth, x, xo, acc, 0, 0, rows);
                return;
            }
            FastFullyConnected.packedColumns(quads, columns, x, xo, acc, 0, rows);
        }
    }

    /** A float32 matrix: {@link #products} sets {@code out[r] = 0f + x[0] * w[r][0] + x[1] * w[r][1] + ...}. */
    static final class Float32 {
        private final int rows, depth, paddedRows;
        private final float[] blocks;    // Vector API: [block][d][lane]
        private final float[][] columns; // scalar: columns[d][r] = w[r][d]

        /** The {@code rows x depth} float weights. */
        Float32(float[] w, int rows, int depth) {
            this.rows = rows;
            this.depth = depth;
            if (FastLoops.VECTOR_API) {
                int lanes = VectorFc.LANES;
                paddedRows = (rows + lanes - 1) / lanes * lanes;
                blocks = new float[paddedRows * depth];
                for (int r = 0; r < rows; r++) {
                    for (int d = 0; d < depth; d++) blocks[(r / lanes) * depth * lanes + d * lanes + r % lanes] = w[r * depth + d];
                }
                columns = null;
            } else {
                paddedRows = rows;
                blocks = null;
                columns = new float[depth][rows];
                for (int r = 0; r < rows; r++) {
                    for (int d = 0; d < depth; d++) columns[d][r] = w[r * depth + d];
                }
            }
        }

        /** The length an output row needs (rows rounded up to whole channel blocks on the Vector API). */
        int paddedRows() { return paddedRows; }

        /** Sets {@code out[r]} to row r's products with {@code x[xo...]} summed left to right from 0f. */
        void products(float[] x, int xo, float[] out) {
            if (blocks != null) {
                VectorFc.channelBlocksFloat(blocks, depth, x, xo, out, 0, 0, paddedRows / VectorFc.LANES);
                return;
            }
            float[][] c = columns;
            int n = rows, d = 0;
            java.util.Arrays.fill(out, 0, n, 0f);
            for (; d + 3 < depth; d += 4) {
                float[] w0 = c[d], w1 = c[d + 1], w2 = c[d + 2], w3 = c[d + 3];
                float x0 = x[xo + d], x1 = x[xo + d + 1], x2 = x[xo + d + 2], x3 = x[xo + d + 3];
                for (int r = 0; r < n; r++) out[r] = out[r] + x0 * w0[r] + x1 * w1[r] + x2 * w2[r] + x3 * w3[r];
            }
            for (; d < depth; d++) {
                float[] w0 = c[d];
                float xd = x[xo + d];
                for (int r = 0; r < n; r++) out[r] = out[r] + xd * w0[r];
            }
        }
    }
}
