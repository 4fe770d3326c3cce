package dev.minnow.kernels;

/**
 * The pooling window of one output position clipped to the image, as TFLM's reference pooling kernels clip it
 * (padding taps are skipped, not counted): a cursor that an eval loop moves from output to output. A node makes
 * its one at prepare, so invoke allocates nothing; it is not for concurrent evals.
 */
final class PoolWindow {
    private final ConvGeometry g;
    /** Input row and column of the window's first tap (negative inside the padding). */
    private int originY, originX;
    /** Filter rows {@code [fy0, fy1)} and columns {@code [fx0, fx1)} that fall inside the image. */
    int fy0, fy1, fx0, fx1;

    /** A cursor over the windows of {@code g} (filter, strides and padding; no dilation). */
    PoolWindow(ConvGeometry g) { this.g = g; }

    /** Moves to the window of output row {@code oy}, column {@code ox}. */
    void moveTo(int oy, int ox) {
        originY = oy * g.strideH() - g.padH();
        originX = ox * g.strideW() - g.padW();
        fy0 = Math.max(0, -originY);
        fy1 = Math.min(g.filterHeight(), g.inHeight() - originY);
        fx0 = Math.max(0, -originX);
        fx1 = Math.min(g.filterWidth(), g.inWidth() - originX);
    }

    /** The input element index (not byte offset) of batch {@code b}, tap {@code (fy, fx)}, channel {@code c}. */
    int element(int b, int fy, int fx, int c) {
        return ((b * g.inHeight() + originY + fy) * g.inWidth() + originX + fx) * g.inDepth() + c;
    }
}
