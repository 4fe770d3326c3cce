package dev.minnow.kernels;

/**
 * Output size and padding of a windowed op along one spatial dimension, as TFLM's ComputePaddingHeightWidth and
 * ComputeOutSize compute them.
 */
public record Padding(int before, int offset) {

    /** Output size for SAME/VALID padding; 0 for an unknown padding type. */
    public static int outputSize(int padding, int imageSize, int filterSize, int stride, int dilationRate) {
        int effectiveFilterSize = (filterSize - 1) * dilationRate + 1;
        if (stride == 0) return 0;
        return switch (padding) {
            case KernelUtil.PADDING_SAME -> (imageSize + stride - 1) / stride;
            case KernelUtil.PADDING_VALID -> (imageSize + stride - effectiveFilterSize) / stride;
            default -> 0;
        };
    }

    /**
     * TFLM's ComputeOutSizeChecked: the output size, or -1 where it fails (padding neither SAME nor VALID, a negative
     * image size, a filter size, stride or dilation below 1, a negative or int-overflowing size).
     */
    public static int outputSizeChecked(int padding, int imageSize, int filterSize, int stride, int dilationRate) {
        if ((padding != KernelUtil.PADDING_SAME && padding != KernelUtil.PADDING_VALID) || imageSize < 0 || filterSize <= 0
                || stride <= 0 || dilationRate <= 0) {
            return -1;
        }
        long effective = ((long) filterSize - 1) * dilationRate + 1;
        long value = padding == KernelUtil.PADDING_SAME ? ((long) imageSize + stride - 1) / stride
                : ((long) imageSize + stride - effective) / stride;
        return value < 0 || value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    /**
     * Padding before the input ({@code before}) and the extra odd unit ({@code offset}) for one dimension whose
     * output size is {@code outSize}.
     */
    public static Padding compute(int stride, int dilationRate, int inSize, int filterSize, int outSize) {
        int effectiveFilterSize = (filterSize - 1) * dilationRate + 1;
        int total = (outSize - 1) * stride + effectiveFilterSize - inSize;
        total = Math.max(total, 0);
        return new Padding(total / 2, total % 2);
    }
}
