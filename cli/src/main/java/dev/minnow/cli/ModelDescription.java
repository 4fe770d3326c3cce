package dev.minnow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.Target;
import dev.minnow.model.Model;
import dev.minnow.model.OpCode;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SignatureDef;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.ops.Ops;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code minnow info} reports about a model: its tensors at the edges, the operators it uses and whether minnow
 * runs them, sizes, metadata, signatures and whether the engine can allocate it; as text or as one JSON object.
 *
 * @param file       the path as the user gave it
 * @param model      the loaded model
 * @param allocation the engine's verdict on the main subgraph
 */
record ModelDescription(String file, Model model, Allocation allocation) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Whether the engine allocates the model on a target: TFLM's arena figures, or the reason it cannot.
     *
     * @param target       the target judged
     * @param report       TFLM's arena figures, null when allocation fails
     * @param error        why allocation fails (which op or check), null when it succeeds
     */
    record Allocation(Target target, ArenaReport report, String error) {
        boolean ok() { return error == null; }
    }

    /** One operator code of the model: how many nodes use it and whether minnow has a kernel for it. */
    record OpUse(OpCode code, int nodes, String unsupportedReason) {
        boolean supported() { return unsupportedReason == null; }
    }

    /** The operator codes in model order with node counts over every subgraph and minnow's support. */
    List<OpUse> ops() {
        int[] nodes = new int[model.opCodes().size()];
        for (SubgraphInfo g : model.subgraphs()) {
            for (OperatorInfo op : g.operators()) {
                int i = model.opCodes().indexOf(op.opCode());
                if (i >= 0) nodes[i]++;
            }
        }
        List<OpUse> uses = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            OpCode c = model.opCodes().get(i);
            uses.add(new OpUse(c, nodes[i], unsupportedReason(c)));
        }
        return uses;
    }

    /** Null when minnow's op table has a kernel for the code, else why not. */
    static String unsupportedReason(OpCode c) {
        if (Ops.find(c) != null) return null;
        if (c.isCustom()) return "minnow has no kernel for the custom op '" + c.customCode() + "'";
        if (c.builtin() == null) return "builtin code " + c.builtinCode() + " is not an operator of the TFLite schema minnow reads";
        return "minnow has no kernel for " + c.builtinName();
    }

    /** Bytes of constant data (weights, biases, constant shapes), each buffer counted once, and the buffer count. */
    long[] constantBytes() {
        Set<Integer> seen = new HashSet<>();
        long bytes = 0;
        for (SubgraphInfo g : model.subgraphs()) {
            for (TensorInfo t : g.tensors()) {
                if (t.isConstant() && seen.add(t.bufferIndex())) bytes += t.constantDataLength();
            }
        }
        return new long[] {bytes, seen.size()};
    }

    private int tensorCount() {
        int n = 0;
        for (SubgraphInfo g : model.subgraphs()) n += g.tensors().size();
        return n;
    }

    // ---------------------------------------------------------------- text

    /** The human-readable report. */
    String text() {
        StringBuilder sb = new StringBuilder();
        SubgraphInfo main = model.mainSubgraph();
        line(sb, "model          %s", file);
        line(sb, "size           %d bytes, schema version %d%s", model.sizeBytes(), model.schemaVersion(),
                model.description().isEmpty() ? "" : ", description \"" + printable(model.description()) + "\"");
        line(sb, "subgraphs      %d%s", model.subgraphs().size(), model.subgraphs().size() > 1 ? " (#0 is the entry; the others run from control-flow ops)" : "");
        for (SubgraphInfo g : model.subgraphs()) {
            int constants = 0, variables = 0;
            for (TensorInfo t : g.tensors()) {
                if (t.isConstant()) constants++;
                if (t.isVariable()) variables++;
            }
            line(sb, "  #%d %-10s %d tensors (%d constant, %d variable), %d operators", g.index(),
                    g.name().isEmpty() ? "" : "'" + printable(g.name()) + "'", g.tensors().size(), constants, variables, g.operators().size());
        }
        long[] constant = constantBytes();
        line(sb, "tensors        %d", tensorCount());
        line(sb, "weights        %d bytes of constant data in %d buffers", constant[0], constant[1]);
        sb.append("inputs:\n");
        for (int t : main.inputs()) line(sb, "  %s", tensor(main.tensor(t)));
        sb.append("outputs:\n");
        for (int t : main.outputs()) line(sb, "  %s", tensor(main.tensor(t)));
        sb.append("operators (code, version, nodes, minnow):\n");
        for (OpUse u : ops()) {
            line(sb, "  %-28s v%-3d %4d  %s", u.code().displayName(), u.code().version(), u.nodes(),
                    u.supported() ? "supported" : "NOT SUPPORTED: " + u.unsupportedReason());
        }
        Map<String, byte[]> metadata = model.metadata();
        sb.append("metadata:").append(metadata.isEmpty() ? " none\n" : "\n");
        metadata.forEach((name, bytes) -> {
            String text = metadataText(bytes);
            line(sb, "  %-28s %d bytes%s", printable(name), bytes.length, text == null ? "" : "  \"" + text + "\"");
        });
        sb.append("signatures:").append(model.signatureDefs().isEmpty() ? " none\n" : "\n");
        for (SignatureDef s : model.signatureDefs()) {
            line(sb, "  %s (subgraph %d)", printable(s.key()), s.subgraphIndex());
            SubgraphInfo g = model.subgraphs().get(s.subgraphIndex());
            s.inputs().forEach((alias, t) -> line(sb, "    input  %-20s -> #%d '%s'", printable(alias), t, printable(g.tensor(t).name())));
            s.outputs().forEach((alias, t) -> line(sb, "    output %-20s -> #%d '%s'", printable(alias), t, printable(g.tensor(t).name())));
        }
        if (allocation.ok()) {
            ArenaReport r = allocation.report();
            line(sb, "allocation     ok on %s: arena used %d bytes, minimum arena %d bytes (minnow arena for the breakdown)",
                    allocation.target().id(), r.usedBytes(), r.minimumArenaBytes());
        } else {
            line(sb, "allocation     FAILS on %s: %s", allocation.target().id(), allocation.error());
        }
        return sb.toString();
    }

    /** "#3 'name' int8 [1, 10]  scale 0.5, zero point -3". */
    static String tensor(TensorInfo t) {
        StringBuilder sb = new StringBuilder("#").append(t.index()).append(" '").append(printable(t.name())).append("' ")
                .append(t.type().lowerName()).append(' ').append(Arrays.toString(t.shape()));
        int[] sig = t.shapeSignature();
        if (sig.length > 0 && !Arrays.equals(sig, t.shape())) sb.append(" (signature ").append(Arrays.toString(sig)).append(')');
        String q = quantization(t.quantization());
        if (!q.isEmpty()) sb.append("  ").append(q);
        return sb.toString();
    }

    /** Per-tensor "scale S, zero point Z"; per-channel the axis, count and ranges; "" when unquantized. */
    static String quantization(Quantization q) {
        if (!q.isQuantized()) return "";
        if (!q.isPerChannel()) return "scale " + q.scale() + ", zero point " + q.zeroPoint(0);
        float[] s = q.scales();
        float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
        for (float v : s) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        long zlo = Long.MAX_VALUE, zhi = Long.MIN_VALUE;
        for (int c = 0; c < s.length; c++) { zlo = Math.min(zlo, q.zeroPoint(c)); zhi = Math.max(zhi, q.zeroPoint(c)); }
        return "per-channel on axis " + q.quantizedDimension() + ": " + s.length + " scales " + lo + " .. " + hi
                + ", zero points " + (zlo == zhi ? String.valueOf(zlo) : zlo + " .. " + zhi);
    }

    /** The metadata bytes as text when they are short printable ASCII (a trailing NUL allowed), else null. */
    static String metadataText(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) n--;
        if (n == 0 || n > 80) return null;
        for (int i = 0; i < n; i++) if (b[i] < 0x20 || b[i] > 0x7e) return null;
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    /** Control characters in names from the file shown as \\uXXXX, so a model cannot garble the terminal. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    // ---------------------------------------------------------------- JSON

    /** One JSON object with the same content as {@link #text()}. */
    String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", file);
        o.put("sizeBytes", model.sizeBytes());
        o.put("schemaVersion", model.schemaVersion());
        o.put("description", model.description());
        ArrayNode subgraphs = o.putArray("subgraphs");
        for (SubgraphInfo g : model.subgraphs()) {
            ObjectNode s = subgraphs.addObject();
            s.put("index", g.index());
            s.put("name", g.name());
            s.put("tensors", g.tensors().size());
            s.put("constantTensors", g.tensors().stream().filter(TensorInfo::isConstant).count());
            s.put("variableTensors", g.tensors().stream().filter(TensorInfo::isVariable).count());
            s.put("operators", g.operators().size());
        }
        o.put("tensorCount", tensorCount());
        long[] constant = constantBytes();
        o.put("constantBytes", constant[0]);
        o.put("constantBuffers", constant[1]);
        SubgraphInfo main = model.mainSubgraph();
        ArrayNode inputs = o.putArray("inputs");
        for (int t : main.inputs()) inputs.add(tensorJson(main.tensor(t)));
        ArrayNode outputs = o.putArray("outputs");
        for (int t : main.outputs()) outputs.add(tensorJson(main.tensor(t)));
        ArrayNode ops = o.putArray("operators");
        for (OpUse u : ops()) {
            ObjectNode op = ops.addObject();
            op.put("name", u.code().displayName());
            op.put("builtinCode", u.code().builtinCode());
            if (u.code().isCustom()) op.put("customCode", u.code().customCode());
            op.put("version", u.code().version());
            op.put("nodes", u.nodes());
            op.put("supported", u.supported());
            if (!u.supported()) op.put("reason", u.unsupportedReason());
        }
        ArrayNode metadata = o.putArray("metadata");
        model.metadata().forEach((name, bytes) -> {
            ObjectNode m = metadata.addObject();
            m.put("name", name);
            m.put("bytes", bytes.length);
            String text = metadataText(bytes);
            if (text != null) m.put("text", text);
        });
        ArrayNode signatures = o.putArray("signatures");
        for (SignatureDef s : model.signatureDefs()) {
            ObjectNode sig = signatures.addObject();
            sig.put("key", s.key());
            sig.put("subgraph", s.subgraphIndex());
            ObjectNode in = sig.putObject("inputs");
            s.inputs().forEach(in::put);
            ObjectNode out = sig.putObject("outputs");
            s.outputs().forEach(out::put);
        }
        ObjectNode a = o.putObject("allocation");
        a.put("target", allocation.target().id());
        a.put("ok", allocation.ok());
        if (allocation.ok()) {
            a.put("usedBytes", allocation.report().usedBytes());
            a.put("minimumArenaBytes", allocation.report().minimumArenaBytes());
        } else {
            a.put("error", allocation.error());
        }
        return o.toString();
    }

    private static ObjectNode tensorJson(TensorInfo t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", t.index());
        o.put("name", t.name());
        o.put("type", t.type().lowerName());
        ArrayNode shape = o.putArray("shape");
        for (int d : t.shape()) shape.add(d);
        if (t.shapeSignature().length > 0) {
            ArrayNode sig = o.putArray("shapeSignature");
            for (int d : t.shapeSignature()) sig.add(d);
        }
        Quantization q = t.quantization();
        if (q.isQuantized()) {
            ObjectNode qn = o.putObject("quantization");
            ArrayNode scales = qn.putArray("scales");
            for (float s : q.scales()) scales.add(s);
            ArrayNode zps = qn.putArray("zeroPoints");
            for (int c = 0; c < q.channelCount(); c++) zps.add(q.zeroPoint(c));
            qn.put("axis", q.quantizedDimension());
        } else {
            o.putNull("quantization");
        }
        return o;
    }
}
