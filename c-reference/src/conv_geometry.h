/* Output size and leading padding of a window op (TFLM's ComputePaddingHeightWidth), shared by CONV_2D,
 * DEPTHWISE_CONV_2D, TRANSPOSE_CONV and pooling. padding: 0 SAME, 1 VALID. */
#ifndef MINNOW_CREF_CONV_GEOMETRY_H
#define MINNOW_CREF_CONV_GEOMETRY_H

static inline int out_size(int padding, int in, int filter, int stride, int dilation) {
    int eff = (filter - 1) * dilation + 1;
    if (stride == 0) return 0;
    return padding == 0 ? (in + stride - 1) / stride : (in + stride - eff) / stride;  /* 0 SAME, 1 VALID */
}

static inline int pad_before(int stride, int dilation, int in, int filter, int out) {
    int eff = (filter - 1) * dilation + 1;
    int total = (out - 1) * stride + eff - in;
    return total > 0 ? total / 2 : 0;
}

#endif
