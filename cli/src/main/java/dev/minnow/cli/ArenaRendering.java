package dev.minnow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.TflmArena;

import java.util.Locale;

/** {@link ArenaReport} as text, JSON and an SVG lifetime picture. */
final class ArenaRendering {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ArenaRendering() {}

    /** A human-readable report. */
    static String text(ArenaReport r) {
        StringBuilder sb = new StringBuilder();
        TflmArena.Breakdown b = r.breakdown();
        line(sb, "target            %s", r.target().id());
        line(sb, "used bytes        %d   (arena_used_bytes after AllocateTensors)", r.usedBytes());
        line(sb, "minimum arena     %d   (smallest kTensorArenaSize AllocateTensors accepts)", r.minimumArenaBytes());
        line(sb, "head              %d   (planned activations and scratch)", r.headBytes());
        line(sb, "tail              %d   (persistent)", r.tailBytes());
        line(sb, "temporary peak    %d   (during allocation, from the arena start)", r.tempBytes());
        sb.append("tail breakdown:\n");
        line(sb, "  allocator objects     %d", b.allocatorObjects());
        line(sb, "  eval tensors          %d", b.evalTensors());
        line(sb, "  node registrations    %d", b.nodeAndRegistrations());
        line(sb, "  builtin op params     %d", b.builtinData());
        line(sb, "  op data               %d", b.opData());
        line(sb, "  variable tensors      %d", b.variables());
        line(sb, "  scratch handles       %d", b.scratchHandles());
        line(sb, "  persistent tensors    %d", b.persistentTensors());
        line(sb, "  quantization data     %d", b.quantizationData());
        sb.append("planned tensors (offset, bytes, first..last scope):\n");
        for (ArenaReport.PlannedTensor t : r.tensors()) {
            line(sb, "  #%-4d %8d %8d  %d..%d  %s", t.index(), t.offset(), t.bytes(), t.firstUse(), t.lastUse(), t.name());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String format, Object... args) {
        sb.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    /** One JSON object with the numbers and the planned tensors. */
    static String json(ArenaReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("target", r.target().id());
        o.put("usedBytes", r.usedBytes());
        o.put("minimumArenaBytes", r.minimumArenaBytes());
        o.put("headBytes", r.headBytes());
        o.put("tailBytes", r.tailBytes());
        o.put("tempBytes", r.tempBytes());
        o.set("breakdown", JSON.valueToTree(r.breakdown()));
        ArrayNode tensors = o.putArray("tensors");
        for (ArenaReport.PlannedTensor t : r.tensors()) tensors.add(JSON.valueToTree(t));
        return o.toString();
    }

    /** An SVG of the planned tensors: allocation scope on the x axis, arena offset on the y axis. */
    static String svg(ArenaReport r) {
        int maxScope = 1;
        for (ArenaReport.PlannedTensor t : r.tensors()) maxScope = Math.max(maxScope, t.lastUse() + 1);
        double width = 800, height = 500, left = 70, top = 30;
        double sx = (width - left - 20) / maxScope;
        double sy = (height - top - 40) / Math.max(1, r.headBytes());
        StringBuilder sb = new StringBuilder();
        line(sb, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"monospace\" font-size=\"11\">", width, height);
        line(sb, "<text x=\"%.0f\" y=\"18\">arena head (%s): %d bytes planned, %d used, minimum arena %d</text>",
                left, r.target().id(), r.headBytes(), r.usedBytes(), r.minimumArenaBytes());
        line(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>",
                left, top, sx * maxScope, sy * r.headBytes());
        int i = 0;
        for (ArenaReport.PlannedTensor t : r.tensors()) {
            int first = Math.max(0, t.firstUse());
            double x = left + sx * first, w = sx * Math.max(1, t.lastUse() - first + 1);
            double y = top + sy * t.offset(), h = Math.max(1, sy * t.bytes());
            String color = String.format(Locale.ROOT, "hsl(%d,60%%,60%%)", (i++ * 47) % 360);
            line(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\"><title>#%d %s: offset %d, %d bytes, scopes %d..%d</title></rect>",
                    x, y, w, h, color, t.index(), xml(t.name()), t.offset(), t.bytes(), t.firstUse(), t.lastUse());
        }
        line(sb, "<text x=\"%.0f\" y=\"%.0f\">allocation scope (0 = inputs, node i = i + 1) →</text>", left, height - 12);
        line(sb, "<text x=\"4\" y=\"%.0f\">offset ↓</text>", top + 12);
        return sb.append("</svg>\n").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
