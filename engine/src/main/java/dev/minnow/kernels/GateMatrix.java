package dev.minnow.kernels;

/**
 * A constant weight matrix ({@code rows x depth}, row-major as in the model) prepared for the fast matrix-vector
 * products of {@link FastLstm}: the same loops as {@link FastFullyConnected} (Vector API row dot products or channel
 * blocks on int8 bytes, scalar int dot rows; float channel blocks or the channel-innermost scalar loop), behind one
 * call per product. Int products wrap modulo 2^32 as the reference's int32 sums; each float output adds its products
 * (multiply, then add) in {@code d} order from {@code 0f}, the reference's order.
 */
final class GateMatrix {
    private GateMatrix() {}

    /** An int8 matrix: {@link #addProducts} adds {@code sum_d w[r][d] * x[d]} to {@code acc[r]}. */
    static final class Int8 {
        private final int rows, depth;
        private final boolean vector, blocks;
        private final byte[] packed;
        private final int[] ints;

        /** The {@code rows x depth} int8 weights at {@code w[off...]}. */
        Int8(byte[] w, int off, int rows, int depth) {
            this.rows = rows;
            this.depth = depth;
            vector = FastLoops.VECTOR_API;
            blocks = vector && depth < FastFullyConnected.VECTOR_ROWS_MIN;
            if (blocks) {
                int lanes = VectorFc.LANES;
                packed = new byte[paddedRows() * depth];
                for (int r = 0; r < rows; r++) {
                    int base = (r / lanes) * depth * lanes + r % lanes;
                    for (int d = 0; d < depth; d++) packed[base + d * lanes] = w[off + r * depth + d];
                }
                ints = null;
            } else if (vector) {
                packed = java.util.Arrays.copyOfRange(w, off, off + rows * depth);
                ints = null;
            } else {
                packed = null;
                ints = new int[rows * depth];
                // short rows: transposed to [d][r] for the channel-innermost loop; long rows: as they are, dot products
                for (int r = 0; r < rows; r++) {
                    for (int d = 0; d < depth; d++) ints[transposed() ? d * rows + r : r * depth + d] = w[off + r * depth + d];
                }
            }
        }

        /** Whether the scalar loop runs channel-innermost over a transposed copy (rows shorter than a dot pays for). */
        private boolean transposed() { return !vector && depth < FastFullyConnected.SCALAR_DOT_MIN; }

        /** The length an accumulator row needs: {@code rows} rounded up to whole channel blocks when blocks are used. */
        int paddedRows() {
            return blocks ? (rows + VectorFc.LANES - 1) / VectorFc.LANES * VectorFc.LANES : rows;
        }

        /** Sum of each row's weights (for folding an input offset into a bias), as int and wrapping like the sums. */
        static int[] rowSums(byte[] w, int off, int rows, int depth) {
            int[] s = new int[rows];
            for (int r = 0; r < rows; r++) {
                int sum = 0;
                for (int d = 0; d < depth; d++) sum += w[off + r * depth + d];
                s[r] = sum;
            }
            return s;
        }

        /** {@code acc[accAt + r] += sum_d w[r][d] * x[xo + d]} for every row (padding rows take garbage). */
        void addProducts(int[] x, int xo, int[] acc, int accAt) {
            if (blocks) {
                VectorFc.channelBlocks(packed, depth, x, xo, acc, accAt, 0, paddedRows() / VectorFc.LANES);
            } else if (vector) {
                VectorFc.dotRows(packed, depth, x, xo, acc, accAt, 0, rows);
            } else if (transposed()) {
                FastFullyConnected.channelInnermost(ints, rows, depth, x, xo, acc, accAt, 0, rows);
            } else {
                int[] w = ints;
                int n = depth;
                for (int r = 0; r < rows; r++) {
                    int sum = 0, wb = r * n;
                    for (int d = 0; d < n; d++) sum += w[wb + d] * x[xo + d];
                    acc[accAt + r] += sum;
                }
            }
        }
    }

    /** A float32 matrix: {@link #products} sets {@code out[r] = 0f + x[0] * w[r][0] + x[1] * w[r][1] + ...}. */
    static final class Float32 {
        private final int rows, depth, paddedRows;
        private final boolean vector;
        private final float[] weights;

        /** The {@code rows x depth} float weights. */
        Float32(float[] w, int rows, int depth) {
            this.rows = rows;
            this.depth = depth;
            vector = FastLoops.VECTOR_API;
            int lanes = vector ? VectorFc.LANES : 1;
            paddedRows = (rows + lanes - 1) / lanes * lanes;
            weights = new float[paddedRows * depth];
            for (int r = 0; r < rows; r++) {
                for (int d = 0; d < depth; d++) {
                    // vector: [block][d][lane]; scalar: transposed to [d][r]
                    weights[vector ? (r / lanes) * depth * lanes + d * lanes + r % lanes : d * rows + r] = w[r * depth + d];
                }
            }
        }

        /** The length an output row needs (rows rounded up to whole channel blocks on the Vector API). */
        int paddedRows() { return paddedRows; }

        /** Sets {@code out[outAt + r]} to row r's products with {@code x[xo...]} summed left to right from 0f. */
        void products(float[] x, int xo, float[] out, int outAt) {
            if (vector) {
                VectorFc.channelBlocksFloat(weights, depth, x, xo, out, outAt, 0, paddedRows / VectorFc.LANES);
                return;
            }
            float[] w = weights;
            int n = rows;
            java.util.Arrays.fill(out, outAt, outAt + n, 0f);
            int d = 0;
            for (; d + 3 < depth; d += 4) {
                float x0 = x[xo + d], x1 = x[xo + d + 1], x2 = x[xo + d + 2], x3 = x[xo + d + 3];
                int w0 = d * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
                for (int r = 0; r < n; r++) {
                    out[outAt + r] = out[outAt + r] + x0 * w[w0 + r] + x1 * w[w1 + r] + x2 * w[w2 + r] + x3 * w[w3 + r];
                }
            }
            for (; d < depth; d++) {
                float xd = x[xo + d];
                int w0 = d * n;
                for (int r = 0; r < n; r++) out[outAt + r] = out[outAt + r] + xd * w[w0 + r];
            }
        }
    }
}
