package dev.minnow.emulator.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.minnow.arena.ArenaReport;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.Json;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.WorkCount;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A per-operator report in the manner of X-CUBE-AI's analyze: for every operator of the main subgraph its op,
 * tensors, parameters, weight and activation bytes, MACs and element operations ({@link WorkCount}), the totals, and
 * TFLM's arena on a 32-bit MCU.
 *
 * <p>Parameters are the elements of an operator's constant inputs, except the int32/int64 operands of ops without
 * MACs (shapes, axes, permutations, paddings), which configure rather than weigh. Weight bytes are those tensors'
 * bytes; the totals count a constant shared by several operators once. Activation bytes are the bytes of an
 * operator's computed (non-constant) outputs; the total is every computed tensor once, before the planner overlaps
 * them (the arena's head is what they take after planning).
 *
 * @param modelBytes the flatbuffer's size
 * @param layers     one entry per operator, in execution order
 * @param totals     sums over the layers
 * @param arena      the engine's arena report for {@code mcu32} (what {@code minnow arena} prints)
 */
public record ModelAnalysis(long modelBytes, List<Layer> layers, Totals totals, ArenaReport arena) {

    /** A tensor as the report shows it. */
    public record TensorSummary(int index, String name, String type, int[] shape, boolean constant) {
        /** "int8[1,640]". */
        public String describe() {
            StringBuilder s = new StringBuilder(type).append('[');
            for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ",").append(shape[i]);
            return s.append(']').toString();
        }
    }

    /** One operator's line. */
    public record Layer(int index, String op, List<TensorSummary> inputs, List<TensorSummary> outputs, long parameters,
                        long weightBytes, long activationBytes, long macs, long elementOps) {}

    /** Sums over the model. */
    public record Totals(int layers, long parameters, long weightBytes, long activationBytes, long macs, long elementOps) {}

    public ModelAnalysis {
        layers = List.copyOf(layers);
    }

    /** Analyses the model's main subgraph, the arena allocated under the default budget for untrusted models. */
    public static ModelAnalysis of(Model model) {
        return of(model, ModelBudget.DEFAULT);
    }

    /** Analyses the model's main subgraph, the arena allocated under {@code budget}. */
    public static ModelAnalysis of(Model model, ModelBudget budget) {
        SubgraphInfo g = model.mainSubgraph();
        List<Layer> layers = new ArrayList<>();
        BitSet countedWeights = new BitSet(), countedActivations = new BitSet();
        long params = 0, weightBytes = 0, activationBytes = 0, macs = 0, elementOps = 0;
        for (OperatorInfo op : g.operators()) {
            WorkCount work = EngineAccess.work(op, g);
            List<TensorSummary> ins = new ArrayList<>(), outs = new ArrayList<>();
            long lp = 0, lw = 0, la = 0;
            for (int t : op.inputs()) {
                if (t < 0) continue;
                TensorInfo info = g.tensor(t);
                ins.add(summary(info));
                if (isParameter(info, work)) {
                    lp += info.elementCount();
                    lw += info.constantDataLength();
                    if (!countedWeights.get(t)) {
                        countedWeights.set(t);
                        params += info.elementCount();
                        weightBytes += info.constantDataLength();
                    }
                }
            }
            for (int t : op.outputs()) {
                if (t < 0) continue;
                TensorInfo info = g.tensor(t);
                outs.add(summary(info));
                if (!info.isConstant()) {
                    la += info.byteSize();
                    if (!countedActivations.get(t)) {
                        countedActivations.set(t);
                        activationBytes += info.byteSize();
                    }
                }
            }
            layers.add(new Layer(op.index(), op.opCode().displayName(), ins, outs, lp, lw, la, work.macs(), work.elementOps()));
            macs += work.macs();
            elementOps += work.elementOps();
        }
        for (int t : g.inputs()) {
            if (t >= 0 && !countedActivations.get(t)) {
                countedActivations.set(t);
                activationBytes += g.tensor(t).byteSize();
            }
        }
        ArenaReport arena = EngineAccess.mcu32Arena(model, budget);
        return new ModelAnalysis(model.sizeBytes(), layers,
                new Totals(layers.size(), params, weightBytes, activationBytes, macs, elementOps), arena);
    }

    private static boolean isParameter(TensorInfo t, WorkCount work) {
        if (!t.isConstant()) return false;
        boolean index = t.type() == DataType.INT32 || t.type() == DataType.INT64;
        return work.macs() > 0 || !index;
    }

    private static TensorSummary summary(TensorInfo t) {
        return new TensorSummary(t.index(), t.name(), t.type().lowerName(), t.shape(), t.isConstant());
    }

    /** The layer table, totals and arena picture as text. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%3s  %-28s %-28s %-20s %10s %10s %9s %13s %11s%n", "#", "op", "input (activations)",
                "output", "params", "weights B", "act. B", "MACs", "elem ops"));
        for (Layer l : layers) {
            s.append(String.format(Locale.ROOT, "%3d  %-28s %-28s %-20s %,10d %,10d %,9d %,13d %,11d%n", l.index(), l.op(),
                    describe(l.inputs(), true), describe(l.outputs(), false), l.parameters(), l.weightBytes(),
                    l.activationBytes(), l.macs(), l.elementOps()));
        }
        s.append(String.format(Locale.ROOT, "totals: %d layers, %,d parameters (%,d B of weights), %,d MACs, %,d element ops, "
                        + "%,d B of activation tensors, model %,d B%n", totals.layers(), totals.parameters(),
                totals.weightBytes(), totals.macs(), totals.elementOps(), totals.activationBytes(), modelBytes));
        s.append(String.format(Locale.ROOT, "arena (TFLM on a 32-bit MCU): %,d B used, minimum %,d B (head %,d B of planned"
                + " tensors and scratch, tail %,d B persistent); minnow arena MODEL shows the plan%n", arena.usedBytes(),
                arena.minimumArenaBytes(), arena.headBytes(), arena.tailBytes()));
        return s.toString();
    }

    /** The report as indented JSON. */
    public String toJson() { return Json.pretty(this); }

    private static String describe(List<TensorSummary> ts, boolean skipConstants) {
        StringBuilder s = new StringBuilder();
        for (TensorSummary t : ts) {
            if (skipConstants && t.constant()) continue;
            s.append(s.length() == 0 ? "" : " ").append(t.describe());
        }
        return s.toString();
    }
}
