package dev.minnow.arena;

import dev.minnow.model.Model;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TFLM's arena numbers for a model on one target, computed without running it: the bytes
 * {@code arena_used_bytes()} reports after AllocateTensors, the smallest {@code kTensorArenaSize} AllocateTensors
 * accepts, the head (planned activations and scratch) and tail (persistent) split with a per-category breakdown, and
 * every planned tensor's place and lifetime.
 */
public record ArenaReport(Target target, long usedBytes, long minimumArenaBytes, long headBytes, long tailBytes,
                          long tempBytes, TflmArena.Breakdown breakdown, List<PlannedTensor> tensors) {

    /** A tensor of the planned head: offset and size in bytes, alive from scope {@code firstUse} to {@code lastUse}. */
    public record PlannedTensor(int index, String name, int offset, int bytes, int firstUse, int lastUse) {}

    public ArenaReport {
        tensors = List.copyOf(tensors);
    }

    public static ArenaReport of(Model model, Target target) {
        TflmArena arena = new TflmArena(model, target);
        long used = arena.usedBytes();
        if (used < 0) throw new ArenaPlanException("model cannot be allocated in any arena (simulation failed)");
        TflmArena.Breakdown b = arena.breakdown();
        MemoryPlan plan = arena.plan();
        SubgraphInfo g = model.mainSubgraph();
        List<PlannedTensor> planned = new ArrayList<>();
        for (TensorInfo t : g.tensors()) {
            if (plan.isPlanned(t.index())) {
                planned.add(new PlannedTensor(t.index(), t.name(), plan.tensorOffset(t.index()), plan.tensorBytes(t.index()),
                        plan.firstUse(t.index()), plan.lastUse(t.index())));
            }
        }
        return new ArenaReport(target, used, arena.minimumArenaBytes(), b.head(), b.tail(), arena.peakTempBytes(), b, planned);
    }

    /** A human-readable report. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "target            %s%n", target.id()));
        sb.append(String.format(Locale.ROOT, "used bytes        %d   (arena_used_bytes after AllocateTensors)%n", usedBytes));
        sb.append(String.format(Locale.ROOT, "minimum arena     %d   (smallest kTensorArenaSize AllocateTensors accepts)%n", minimumArenaBytes));
        sb.append(String.format(Locale.ROOT, "head              %d   (planned activations and scratch)%n", headBytes));
        sb.append(String.format(Locale.ROOT, "tail              %d   (persistent)%n", tailBytes));
        sb.append(String.format(Locale.ROOT, "temporary peak    %d   (during allocation, from the arena start)%n", tempBytes));
        sb.append("tail breakdown:\n");
        sb.append(String.format(Locale.ROOT, "  allocator objects     %d%n", breakdown.allocatorObjects()));
        sb.append(String.format(Locale.ROOT, "  eval tensors          %d%n", breakdown.evalTensors()));
        sb.append(String.format(Locale.ROOT, "  node registrations    %d%n", breakdown.nodeAndRegistrations()));
        sb.append(String.format(Locale.ROOT, "  builtin op params     %d%n", breakdown.builtinData()));
        sb.append(String.format(Locale.ROOT, "  op data               %d%n", breakdown.opData()));
        sb.append(String.format(Locale.ROOT, "  variable tensors      %d%n", breakdown.variables()));
        sb.append(String.format(Locale.ROOT, "  scratch handles       %d%n", breakdown.scratchHandles()));
        sb.append(String.format(Locale.ROOT, "  persistent tensors    %d%n", breakdown.persistentTensors()));
        sb.append(String.format(Locale.ROOT, "  quantization data     %d%n", breakdown.quantizationData()));
        sb.append("planned tensors (offset, bytes, first..last scope):\n");
        for (PlannedTensor t : tensors) {
            sb.append(String.format(Locale.ROOT, "  #%-4d %8d %8d  %d..%d  %s%n", t.index(), t.offset(), t.bytes(), t.firstUse(), t.lastUse(), t.name()));
        }
        return sb.toString();
    }

    /** One JSON object with the numbers and the planned tensors. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"target\":\"").append(target.id()).append('"');
        sb.append(",\"usedBytes\":").append(usedBytes);
        sb.append(",\"minimumArenaBytes\":").append(minimumArenaBytes);
        sb.append(",\"headBytes\":").append(headBytes);
        sb.append(",\"tailBytes\":").append(tailBytes);
        sb.append(",\"tempBytes\":").append(tempBytes);
        sb.append(",\"breakdown\":{\"allocatorObjects\":").append(breakdown.allocatorObjects())
                .append(",\"evalTensors\":").append(breakdown.evalTensors())
                .append(",\"nodeAndRegistrations\":").append(breakdown.nodeAndRegistrations())
                .append(",\"builtinData\":").append(breakdown.builtinData())
                .append(",\"opData\":").append(breakdown.opData())
                .append(",\"variables\":").append(breakdown.variables())
                .append(",\"scratchHandles\":").append(breakdown.scratchHandles())
                .append(",\"persistentTensors\":").append(breakdown.persistentTensors())
                .append(",\"quantizationData\":").append(breakdown.quantizationData()).append('}');
        sb.append(",\"tensors\":[");
        for (int i = 0; i < tensors.size(); i++) {
            PlannedTensor t = tensors.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"index\":").append(t.index()).append(",\"name\":\"").append(json(t.name()))
                    .append("\",\"offset\":").append(t.offset()).append(",\"bytes\":").append(t.bytes())
                    .append(",\"firstUse\":").append(t.firstUse()).append(",\"lastUse\":").append(t.lastUse()).append('}');
        }
        return sb.append("]}").toString();
    }

    /** An SVG of the planned tensors: allocation scope on the x axis, arena offset on the y axis. */
    public String toSvg() {
        int maxScope = 1;
        for (PlannedTensor t : tensors) maxScope = Math.max(maxScope, t.lastUse() + 1);
        double width = 800, height = 500, left = 70, top = 30;
        double sx = (width - left - 20) / maxScope;
        double sy = (height - top - 40) / Math.max(1, headBytes);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"monospace\" font-size=\"11\">%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"18\">arena head (%s): %d bytes planned, %d used, minimum arena %d</text>%n",
                left, target.id(), headBytes, usedBytes, minimumArenaBytes));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>%n",
                left, top, sx * maxScope, sy * headBytes));
        int i = 0;
        for (PlannedTensor t : tensors) {
            int first = Math.max(0, t.firstUse());
            double x = left + sx * first, w = sx * Math.max(1, t.lastUse() - first + 1);
            double y = top + sy * t.offset(), h = Math.max(1, sy * t.bytes());
            String color = String.format(Locale.ROOT, "hsl(%d,60%%,60%%)", (i++ * 47) % 360);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#333\"><title>#%d %s: offset %d, %d bytes, scopes %d..%d</title></rect>%n",
                    x, y, w, h, color, t.index(), xml(t.name()), t.offset(), t.bytes(), t.firstUse(), t.lastUse()));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\">allocation scope (0 = inputs, node i = i + 1) →</text>%n", left, height - 12));
        sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%.0f\">offset ↓</text>%n", top + 12));
        return sb.append("</svg>\n").toString();
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
