package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/**
 * NHWC geometry of a windowed op (conv, depthwise conv, pooling): sizes, strides, dilation and the padding TFLM's
 * ComputePaddingHeightWidth derives from the padding type (using its own output size, not the tensor's).
 */
public record ConvGeometry(int batches, int inHeight, int inWidth, int inDepth, int filterHeight, int filterWidth,
                           int outHeight, int outWidth, int outDepth, int strideH, int strideW, int dilationH,
                           int dilationW, int padH, int padW) {

    /** Geometry from the options' strides, dilations and padding; checks the tensors are 4-D. */
    public static ConvGeometry of(NodeContext node, Tensor input, int filterHeight, int filterWidth, Tensor output,
                                  int strideH, int strideW, int dilationH, int dilationW, int padding) {
        node.require(input.rank() == 4, "input rank %d != 4", input.rank());
        node.require(output.rank() == 4, "output rank %d != 4", output.rank());
        node.require(input.dim(0) == output.dim(0), "input batches %d != output batches %d", input.dim(0), output.dim(0));
        int inH = input.dim(1), inW = input.dim(2);
        int[] pad = paddings(padding, inH, inW, filterHeight, filterWidth, strideH, strideW, dilationH, dilationW);
        return new ConvGeometry(input.dim(0), inH, inW, input.dim(3), filterHeight, filterWidth, output.dim(1),
                output.dim(2), output.dim(3), strideH, strideW, dilationH, dilationW, pad[0], pad[1]);
    }

    /**
     * The padding before the first row and column, {padH, padW}. padding.h's ComputePaddingHeightWidthChecked gives
     * up, leaving both paddings 0, as soon as either dimension fails ValidatePaddingArguments (padding neither SAME
     * nor VALID, stride, dilation or filter size <= 0) or has a negative VALID output size; TFLM's kernels then run
     * with no padding (a zero stride included).
     */
    public static int[] paddings(int padding, int inH, int inW, int filterHeight, int filterWidth, int strideH, int strideW,
                                 int dilationH, int dilationW) {
        if (!validOutSize(padding, inW, filterWidth, strideW, dilationW) || !validOutSize(padding, inH, filterHeight, strideH, dilationH)) {
            return new int[] {0, 0};
        }
        int padH = Padding.compute(strideH, dilationH, inH, filterHeight,
                Padding.outputSize(padding, inH, filterHeight, strideH, dilationH)).before();
        int padW = Padding.compute(strideW, dilationW, inW, filterWidth,
                Padding.outputSize(padding, inW, filterWidth, strideW, dilationW)).before();
        return new int[] {padH, padW};
    }

    /**
     * Window taps a reference kernel visits along one dimension, summed over the output positions: the taps of each
     * output position that fall inside the input (taps in the padding are skipped, not multiplied).
     */
    public static long tapsInside(int inSize, int outSize, int filterSize, int stride, int dilation, int padBefore) {
        long taps = 0;
        for (int o = 0; o < outSize; o++) {
            int origin = o * stride - padBefore;
            for (int k = 0; k < filterSize; k++) {
                int x = origin + k * dilation;
                if (x >= 0 && x < inSize) taps++;
            }
        }
        return taps;
    }

    /** ComputeOutSizeChecked succeeds: valid arguments and a non-negative output size. */
    private static boolean validOutSize(int padding, int imageSize, int filterSize, int stride, int dilation) {
        if ((padding != KernelUtil.PADDING_SAME && padding != KernelUtil.PADDING_VALID) || imageSize < 0 || filterSize <= 0
                || stride <= 0 || dilation <= 0) {
            return false;
        }
        long effective = ((long) filterSize - 1) * dilation + 1;
        long value = padding == KernelUtil.PADDING_SAME ? ((long) imageSize + stride - 1) / stride
                : ((long) imageSize + stride - effective) / stride;
        return value >= 0 && value <= Integer.MAX_VALUE;
    }
}
