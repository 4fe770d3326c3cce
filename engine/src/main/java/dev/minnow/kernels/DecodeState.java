package dev.minnow.kernels;

/** One output's decoder of {@link Decode}, set up in Prepare from its constant encoded and ancillary tensors. */
sealed interface DecodeState permits DecodeLut, DecodeHuffman, DecodePrune {
    /**
     * Decodes the output into {@code dst} from byte {@code dstOff}; with a null {@code dst} only walks the encoded data
     * and fails (a named KernelException) where decoding would read beyond the tensors.
     */
    void decode(byte[] dst, int dstOff);
}
