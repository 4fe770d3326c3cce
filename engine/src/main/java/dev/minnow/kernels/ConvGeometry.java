package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;

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
        int computedOutH = Padding.outputSize(padding, inH, filterHeight, strideH, dilationH);
        int computedOutW = Padding.outputSize(padding, inW, filterWidth, strideW, dilationW);
        Padding ph = Padding.compute(strideH, dilationH, inH, filterHeight, computedOutH);
        Padding pw = Padding.compute(strideW, dilationW, inW, filterWidth, computedOutW);
        return new ConvGeometry(input.dim(0), inH, inW, input.dim(3), filterHeight, filterWidth, output.dim(1),
                output.dim(2), output.dim(3), strideH, strideW, dilationH, dilationW, ph.before(), pw.before());
    }
}
