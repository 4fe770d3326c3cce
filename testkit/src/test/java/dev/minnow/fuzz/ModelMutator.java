package dev.minnow.fuzz;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.OperatorSpec;
import dev.minnow.writer.SubgraphWriter;
import dev.minnow.writer.TensorSpec;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutates .tflite models the way an attacker would: raw byte flips, boundary integers written over aligned words,
 * truncations and splices of two models, and (through the writer, so the file stays well-formed) in-range changes of
 * tensor shapes, types, quantization and operator tensor indices. Deterministic for a given random source.
 */
final class ModelMutator {
    /** The kinds of mutation, each counted separately in the fuzzer's figures. */
    enum Kind { BYTE_FLIP, BOUNDARY_INT, TRUNCATION, SPLICE, SHAPE, TENSOR_INDEX, TYPE, QUANTIZATION }

    private static final int[] BOUNDARY = {0, 1, 2, 3, 4, -1, -2, 7, 8, 15, 16, 255, 256, 65535, 65536, 1 << 24, 16_777_216 + 1,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, 1 << 30, 0x7fff, -0x8000};
    private static final int[] SMALL_DIMS = {0, 1, 2, 3, 4, 5, 7, 8, 16, 255, 1024, 65536};

    private final List<byte[]> seeds;

    ModelMutator(List<byte[]> seeds) { this.seeds = seeds; }

    /** One mutant of seed {@code s}: {@code kind} applied once or a few times. */
    byte[] mutate(int s, Kind kind, SplittableRandom r) {
        byte[] m = seeds.get(s).clone();
        int times = 1 + (r.nextInt(4) == 0 ? r.nextInt(4) : 0);
        for (int k = 0; k < times; k++) m = once(m, kind, r);
        return m;
    }

    private byte[] once(byte[] m, Kind kind, SplittableRandom r) {
        if (m.length == 0) return m;
        switch (kind) {
            case BYTE_FLIP -> {
                int i = r.nextInt(m.length);
                m[i] = r.nextBoolean() ? (byte) (m[i] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
                return m;
            }
            case BOUNDARY_INT -> {
                if (m.length < 4) return m;
                int i = r.nextInt(m.length / 4) * 4;
                int v = BOUNDARY[r.nextInt(BOUNDARY.length)];
                if (r.nextBoolean() && i + 4 <= m.length) v = (m[i] & 0xff | (m[i + 1] & 0xff) << 8 | (m[i + 2] & 0xff) << 16 | m[i + 3] << 24) + (r.nextBoolean() ? 1 : -1);
                for (int b = 0; b < 4 && i + b < m.length; b++) m[i + b] = (byte) (v >>> (8 * b));
                return m;
            }
            case TRUNCATION -> { return Arrays.copyOf(m, r.nextInt(m.length)); }
            case SPLICE -> {
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                int at = r.nextInt(m.length), from = r.nextInt(other.length), len = 1 + r.nextInt(Math.min(64, other.length - from));
                if (r.nextBoolean()) {
                    System.arraycopy(other, from, m, at, Math.min(len, m.length - at));
                    return m;
                }
                byte[] out = new byte[m.length + len];
                System.arraycopy(m, 0, out, 0, at);
                System.arraycopy(other, from, out, at, len);
                System.arraycopy(m, at, out, at + len, m.length - at);
                return out;
            }
            default -> { return structural(m, kind, r); }
        }
    }

    /** In-range changes through the writer; a model the loader or writer refuses is returned unchanged. */
    private static byte[] structural(byte[] m, Kind kind, SplittableRandom r) {
        ModelWriter w;
        try {
            w = ModelWriter.from(Model.load(m));
        } catch (RuntimeException e) {
            return m;
        }
        SubgraphWriter g = w.subgraph(r.nextInt(w.subgraphCount()));
        try {
            switch (kind) {
                case SHAPE -> {
                    if (g.tensorCount() == 0) return m;
                    int t = r.nextInt(g.tensorCount());
                    TensorSpec x = g.tensor(t);
                    int[] shape = x.shape();
                    int choice = r.nextInt(6);
                    if (choice == 0 || shape.length == 0) {
                        shape = Arrays.copyOf(shape, shape.length + 1);
                        shape[shape.length - 1] = SMALL_DIMS[r.nextInt(SMALL_DIMS.length)];
                    } else if (choice == 1) {
                        shape = Arrays.copyOf(shape, shape.length - 1);
                    } else {
                        int d = r.nextInt(shape.length);
                        int v = shape[d];
                        shape[d] = switch (r.nextInt(4)) {
                            case 0 -> v + 1;
                            case 1 -> Math.max(0, v - 1);
                            case 2 -> v * 2;
                            default -> SMALL_DIMS[r.nextInt(SMALL_DIMS.length)];
                        };
                    }
                    g.setTensor(t, new TensorSpec(x.name(), x.type(), shape, null, x.quantization(), x.isVariable(), x.buffer(), x.hasRank()));
                }
                case TYPE -> {
                    if (g.tensorCount() == 0) return m;
                    int t = r.nextInt(g.tensorCount());
                    TensorSpec x = g.tensor(t);
                    DataType[] types = DataType.values();
                    DataType type = types[r.nextInt(types.length)];
                    boolean variable = r.nextInt(4) == 0 ? !x.isVariable() : x.isVariable();
                    g.setTensor(t, new TensorSpec(x.name(), type, x.shape(), null, x.quantization(), variable, x.buffer(), x.hasRank()));
                }
                case QUANTIZATION -> {
                    if (g.tensorCount() == 0) return m;
                    int t = r.nextInt(g.tensorCount());
                    TensorSpec x = g.tensor(t);
                    int channels = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(r.nextBoolean() ? 2 : 17);
                    float[] scales = new float[channels];
                    long[] zps = new long[channels];
                    for (int c = 0; c < channels; c++) {
                        scales[c] = switch (r.nextInt(5)) {
                            case 0 -> 0f;
                            case 1 -> Float.MIN_VALUE;
                            case 2 -> 1e30f;
                            default -> (float) r.nextDouble(1e-4, 2);
                        };
                        zps[c] = r.nextInt(5) == 0 ? BOUNDARY[r.nextInt(BOUNDARY.length)] : r.nextInt(-128, 128);
                    }
                    int dim = r.nextInt(6) - 1;
                    g.setTensor(t, x.withQuantization(new Quantization(scales, zps, dim)));
                }
                case TENSOR_INDEX -> {
                    if (g.operators().isEmpty() || g.tensorCount() == 0) return m;
                    int i = r.nextInt(g.operators().size());
                    OperatorSpec op = g.operators().get(i);
                    int[] in = op.inputs(), out = op.outputs();
                    int pick = r.nextInt(5);
                    if (pick == 0 && in.length > 0) {
                        in = Arrays.copyOf(in, in.length - 1);
                    } else if (pick == 1) {
                        in = Arrays.copyOf(in, in.length + 1);
                        in[in.length - 1] = r.nextInt(-1, g.tensorCount());
                    } else if (pick == 2 && out.length > 0) {
                        out[r.nextInt(out.length)] = r.nextInt(g.tensorCount());
                    } else if (in.length > 0) {
                        in[r.nextInt(in.length)] = r.nextInt(-1, g.tensorCount());
                    }
                    g.setOperator(i, new OperatorSpec(op.builtinCode(), op.customCode(), op.version(), in, out, op.intermediates(),
                            op.options(), op.customOptions(), op.options2()));
                }
                default -> throw new IllegalArgumentException(kind.name());
            }
            return w.toByteArray();
        } catch (IllegalArgumentException e) {
            return m; // the writer refuses what no flatbuffer can say (negative dimensions); the byte mutations cover those
        }
    }
}
