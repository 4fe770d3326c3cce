package dev.minnow.interpreter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 12's data movement, image and matmul kernels only move data in invoke too: one corpus case per op and path. */
class DataImageMatmulInvokeAllocationTest {
    @ParameterizedTest
    @ValueSource(strings = {"ops/SHAPE/shape_float32_000", "ops/FILL/fill_float32_000", "ops/ZEROS_LIKE/zeros_like_int64_000",
            "ops/SPLIT_V/split_v_float32_000", "ops/REVERSE_V2/reverse_v2_int16_001", "ops/MIRROR_PAD/mirror_pad_float32_001",
            "ops/BROADCAST_TO/broadcast_to_float32_001", "ops/BROADCAST_ARGS/broadcast_args_int64_000",
            "ops/SPACE_TO_DEPTH/space_to_depth_int8_000", "ops/DEPTH_TO_SPACE/depth_to_space_float32_000",
            "ops/SPACE_TO_BATCH_ND/space_to_batch_nd_float32_001", "ops/BATCH_TO_SPACE_ND/batch_to_space_nd_int8_000",
            "ops/GATHER_ND/gather_nd_int8_002", "ops/EMBEDDING_LOOKUP/embedding_lookup_hybrid_001",
            "ops/DYNAMIC_UPDATE_SLICE/dynamic_update_slice_int8_000", "ops/CUMSUM/cumsum_int8_004", "ops/CUMSUM/cumsum_float32_000",
            "ops/RESIZE_BILINEAR/resize_bilinear_int8_001", "ops/RESIZE_BILINEAR/resize_bilinear_float32_001",
            "ops/RESIZE_NEAREST_NEIGHBOR/resize_nn_int16_000", "ops/BATCH_MATMUL/batch_matmul_int8_003",
            "ops/BATCH_MATMUL/batch_matmul_float32_002", "ops/BATCH_MATMUL/batch_matmul_int16_003"})
    void invokeAllocatesNothing(String caseDir) throws Exception {
        new InvokeAllocationTest().invokeAllocatesNothing(caseDir);
    }
}
