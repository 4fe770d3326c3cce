package dev.minnow.arena;

import dev.minnow.model.Model;

/**
 * Reads the {@code OfflineMemoryAllocation} metadata entry: {@code [version, subgraph, tensorCount, offsets...]}
 * as little-endian 32-bit words, one offset per tensor of all subgraphs, subgraph by subgraph (-1 = plan at run
 * time).
 */
public final class OfflinePlan {
    /** Name of the metadata entry holding an offline memory plan. */
    public static final String METADATA_NAME = "OfflineMemoryAllocation";

    private OfflinePlan() {}

    /** The offsets, or null when the model has no offline plan; {@code tensorCount} is the tensors of all subgraphs. */
    public static int[] offsets(Model model, int tensorCount) {
        byte[] raw = model.metadata().get(METADATA_NAME);
        if (raw == null) return null;
        if (raw.length < 12 || raw.length % 4 != 0) {
            throw new ArenaPlanException(METADATA_NAME + " metadata holds " + raw.length + " bytes, not a header of 3 words plus offsets");
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(8);
        if (n != tensorCount) {
            throw new ArenaPlanException("Nbr of offline buffer offsets (" + n + ") in metadata not equal nbr tensors (" + tensorCount + ")");
        }
        if (12L + 4L * n > raw.length) {
            throw new ArenaPlanException(METADATA_NAME + " metadata lists " + n + " offsets but holds only " + (raw.length - 12) / 4);
        }
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) offsets[i] = b.getInt(12 + 4 * i);
        return offsets;
    }
}
