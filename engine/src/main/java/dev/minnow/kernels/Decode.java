package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * TFLM's tensor decompression custom op TFLM_DECODE (kernels/decode.cc): each output {@code i} is decoded from the
 * constant pair input {@code 2i} (the encoded data) and input {@code 2i+1} (the ancillary tensor: a 16-byte DCM header,
 * then the decoder's tables). Header byte 0 names the decoder (0 LUT, 1 Huffman, 2 Prune; 127 custom, which TFLM does
 * not support), byte 1 the DCM version (1), byte 4 the decoder's version (1). The decoders: {@link DecodeLut},
 * {@link DecodeHuffman}, {@link DecodePrune}. TFLM reads the header and tables without checking their lengths; minnow
 * rejects a header, table or code stream too short for what the decoder reads instead.
 */
public final class Decode implements OpKernel {
    /** Bytes of the DCM header before the decoder's tables. */
    static final int DCM_BYTES = 16;
    /** Decoder types of header byte 0. */
    static final int TYPE_LUT = 0, TYPE_HUFFMAN = 1, TYPE_PRUNE = 2, TYPE_CUSTOM = 127;

    @Override
    public PreparedOp prepare(NodeContext node) {
        int outputs = node.outputCount(), inputs = node.inputCount();
        node.require(outputs > 0, "has no outputs (TF_LITE_ENSURE num_outputs > 0)");
        node.require(inputs == 2 * outputs, "has %d inputs for %d outputs, expected %d (an encoded and an ancillary tensor per output)",
                inputs, outputs, 2 * outputs);
        DecodeState[] states = new DecodeState[outputs];
        Tensor[] outs = new Tensor[outputs];
        for (int i = 0; i < outputs; i++) {
            Tensor in = node.input(2 * i), anc = node.input(2 * i + 1), out = node.output(i);
            node.require(in != null, "failed to allocate input tensor %d (omitted)", 2 * i);
            node.require(anc != null, "failed to allocate ancillary tensor %d (omitted)", 2 * i + 1);
            node.require(out != null, "failed to allocate output tensor %d (omitted)", i);
            node.require(in.isConstant(), "encoded input %s is not constant (TF_LITE_ENSURE IsConstantTensor)", in.describe());
            node.require(anc.isConstant(), "ancillary input %s is not constant (TF_LITE_ENSURE IsConstantTensor)", anc.describe());
            node.require(anc.numBytes() >= DCM_BYTES, "ancillary input %s holds %d bytes, less than the %d-byte DCM header",
                    anc.describe(), anc.numBytes(), DCM_BYTES);
            int version = header(anc, 1);
            node.require(version == 1, "ancillary input %s: DCM version %d != 1", anc.describe(), version);
            int type = header(anc, 0);
            DecodeState state = switch (type) {
                case TYPE_LUT -> new DecodeLut(node, in, anc, out);
                case TYPE_HUFFMAN -> new DecodeHuffman(node, in, anc, out);
                case TYPE_PRUNE -> new DecodePrune(node, in, anc, out);
                case TYPE_CUSTOM -> throw node.fail("output %d: custom decode type (%d) not yet supported (failed to allocate DecodeState[%d])",
                        i, type, i);
                default -> throw node.fail("output %d: unsupported decode type %d (failed to allocate DecodeState[%d])", i, type, i);
            };
            state.decode(null, 0);   // the encoded data is constant: check once that decoding stays within it
            states[i] = state;
            outs[i] = out;
        }
        return () -> {
            for (int i = 0; i < states.length; i++) states[i].decode(outs[i].array(), outs[i].offset());
        };
    }

    /** Byte {@code i} of an ancillary tensor. */
    static int header(Tensor anc, int i) { return anc.array()[anc.offset() + i] & 0xFF; }

    /** Fails unless the decoder's version (header byte 4) is 1 (each decoder's Setup). */
    static void requireDecoderVersion(NodeContext node, Tensor anc) {
        int v = header(anc, 4);
        node.require(v == 1, "ancillary input %s: unsupported version %d (decoder version must be 1)", anc.describe(), v);
    }

    /** Whether TFLM gives the output a TfLiteAffineQuantization (scales and zero points present). */
    static boolean affine(Tensor out) {
        Quantization q = out.quantization();
        return q.isQuantized() && q.zeroPoints().length > 0;
    }

    /**
     * How the LUT and Prune decoders walk the output's channels: the channel count is the output's scale count;
     * channels along the last dimension (when more than one and it is the quantized dimension) alternate element by
     * element, otherwise dimension 0 holds {@code perChannel} consecutive elements per channel. With
     * {@code walksChannels} (the decoder really reads per channel) the channels must divide the elements.
     */
    record Channels(int count, boolean alternateAxis, int perChannel) {
        static Channels of(NodeContext node, Tensor out, boolean walksChannels) {
            int channels = 1;
            boolean alternate = false;
            if (affine(out)) {
                Quantization q = out.quantization();
                channels = q.channelCount();
                int axis = q.quantizedDimension();
                if (axis == out.rank() - 1 && channels > 1) {
                    alternate = true;
                } else if (axis != 0) {
                    throw node.fail("output %s: unsupported quantization axis %d", out.describe(), axis);
                }
            }
            int n = out.numElements();
            // A decoder that walks the channels would leave elements unwritten (or run past the output) in TFLM when
            // the channels do not divide them.
            node.require(!walksChannels || n % channels == 0, "output %s: its %d elements do not split into %d channels", out.describe(), n, channels);
            return new Channels(channels, alternate, alternate ? 1 : n / channels);
        }

        /** The channel of flat element {@code k}. */
        int channelOf(int k) { return alternateAxis ? k % count : k / perChannel; }
    }

    /** Fails naming an output type the decoder's Decode does not handle (TFLM rejects it at Invoke). */
    static void requireType(NodeContext node, Tensor out, String decoder, DataType... types) {
        for (DataType t : types) if (out.dataType() == t) return;
        throw node.fail("%s decoder: unsupported tensor type %s of output %s", decoder, out.dataType().lowerName(), out.describe());
    }

    /**
     * TFLM's arena for the node: Prepare allocates one DecodeState pointer per output, then for each output fetches
     * the encoded input, the ancillary tensor and the output, allocates and constructs the decoder's state object
     * (Prune with per-channel non-zero zero points also allocates and fills one int8 per channel), stores its pointer
     * and releases the three temporaries. No Init data, no builtin params, no scratch.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        int ptr = t.pointerSize();
        List<Integer> bytes = new ArrayList<>();
        List<Integer> script = new ArrayList<>();
        bytes.add(op.outputCount() * ptr);
        script.add(NodeFootprint.ALLOCATE_NEXT);
        for (int i = 0; i < op.outputCount() && 2 * i + 1 < op.inputCount(); i++) {
            int in = op.input(2 * i), anc = op.input(2 * i + 1), out = op.output(i);
            Footprints.add(script, in, anc, out);
            TensorInfo a = anc >= 0 ? g.tensor(anc) : null;
            int type = a != null && a.constantDataLength() > 0 ? a.constantData()[0] & 0xFF : -1;
            int size = stateBytes(type, t);
            if (size == 0) break;   // Prepare fails here
            bytes.add(size);
            script.add(NodeFootprint.ALLOCATE_NEXT);
            script.add(NodeFootprint.WRITE_LAST);
            if (type == TYPE_PRUNE && out >= 0 && DecodePrune.perChannelZeroPoints(g.tensor(out))) {
                bytes.add(g.tensor(out).quantization().channelCount());
                script.add(NodeFootprint.ALLOCATE_NEXT);
                script.add(NodeFootprint.WRITE_LAST);
            }
            script.add(NodeFootprint.WRITE_POINTER_SLOT - i);
            script.add(NodeFootprint.RELEASE_TEMPS);
        }
        return new NodeFootprint(0, 1, new int[0], Footprints.ints(bytes), new int[0], Footprints.ints(script));
    }

    /**
     * sizeof the decoder's state object: the DecodeState base (vtable pointer, context and profiler pointers) and its
     * fields, padded to pointer alignment; 0 for a type TFLM has no decoder for.
     */
    static int stateBytes(int type, Target t) {
        boolean wide = t.pointerSize() == 8;
        return switch (type) {
            // 5 pointers/size_t (indices, count, channels, per channel, table), stride, bit width, alternate axis.
            case TYPE_LUT -> wide ? 72 : 36;
            // 3 pointers/size_t (codewords, count, tables), 32-bit-table flag, initial table size.
            case TYPE_HUFFMAN -> wide ? 56 : 28;
            // 6 pointers/size_t (indices, count, channels, per channel, values, zero points), zero point, alternate.
            case TYPE_PRUNE -> wide ? 80 : 40;
            default -> 0;
        };
    }
}
