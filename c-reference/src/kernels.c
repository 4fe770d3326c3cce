/* mc_run: the kernel of each builtin operator name the C reference covers. */
#include "kernels.h"
#include "lstm.h"
#include <string.h>

static const struct {
    const char *op;
    const char *(*run)(mc_case *c);
} KERNELS[] = {
    {"FULLY_CONNECTED", mc_fully_connected},
    {"CONV_2D", mc_conv_2d},
    {"DEPTHWISE_CONV_2D", mc_depthwise_conv_2d},
    {"TRANSPOSE_CONV", mc_transpose_conv},
    {"AVERAGE_POOL_2D", mc_average_pool_2d},
    {"MAX_POOL_2D", mc_max_pool_2d},
    {"ADD", mc_add},
    {"SUB", mc_sub},
    {"MUL", mc_mul},
    {"DIV", mc_div},
    {"SQUARED_DIFFERENCE", mc_binary_misc},
    {"MAXIMUM", mc_binary_misc},
    {"MINIMUM", mc_binary_misc},
    {"SELECT_V2", mc_select_v2},
    {"LOGISTIC", mc_activation},
    {"TANH", mc_activation},
    {"RELU", mc_activation},
    {"RELU6", mc_activation},
    {"LEAKY_RELU", mc_activation},
    {"SOFTMAX", mc_softmax},
    {"ABS", mc_unary},
    {"NEG", mc_unary},
    {"FLOOR", mc_unary},
    {"EXP", mc_unary},
    {"SQRT", mc_unary},
    {"RSQRT", mc_unary},
    {"HARD_SWISH", mc_unary},
    {"QUANTIZE", mc_quantize},
    {"DEQUANTIZE", mc_dequantize},
    {"CAST", mc_cast},
    {"MEAN", mc_mean},
    {"SUM", mc_sum},
    {"ARG_MAX", mc_arg_max},
    {"ARG_MIN", mc_arg_min},
    {"RESHAPE", mc_copy},
    {"SQUEEZE", mc_copy},
    {"EXPAND_DIMS", mc_copy},
    {"TRANSPOSE", mc_transpose},
    {"PAD", mc_pad},
    {"PADV2", mc_pad},
    {"CONCATENATION", mc_concatenation},
    {"GATHER", mc_gather},
    {"SLICE", mc_slice},
    {"PACK", mc_pack},
    {"STRIDED_SLICE", mc_strided_slice},
    {"SPLIT", mc_split},
    {"UNPACK", mc_unpack},
    {"SVDF", mc_svdf},
    {"UNIDIRECTIONAL_SEQUENCE_LSTM", mc_unidirectional_sequence_lstm},
};

const char *mc_run(mc_case *c) {
    { const char *custom; if (mc_custom_op(c, &custom)) return custom; }
    if (mc_compare_logic_handles(c->op)) return mc_compare_logic(c);
    if (mc_math_ops_handles(c->op)) return mc_math_ops(c);
    if (mc_reduce_pool_handles(c->op)) return mc_reduce_pool(c);
    for (size_t i = 0; i < sizeof KERNELS / sizeof KERNELS[0]; i++)
        if (!strcmp(c->op, KERNELS[i].op)) return KERNELS[i].run(c);
    return "unsupported op";
}
