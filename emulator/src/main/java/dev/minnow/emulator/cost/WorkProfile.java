package dev.minnow.emulator.cost;

import dev.minnow.emulator.EngineAccess;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.WorkCount;

import java.util.ArrayList;
import java.util.List;

/**
 * A model's work split by {@link WorkKind}: per operator and in total (the total adds one {@link WorkKind#INVOKE}).
 *
 * @param ops   one amount vector per operator, indexed by {@link WorkKind#ordinal()}
 * @param names the operators' names, in execution order
 */
public record WorkProfile(List<double[]> ops, List<String> names) {
    private static final int KINDS = WorkKind.values().length;

    public WorkProfile {
        List<double[]> copy = new ArrayList<>();
        for (double[] v : ops) copy.add(v.clone());
        ops = List.copyOf(copy);
        names = List.copyOf(names);
    }

    /** The model's profile with each op's arithmetic type read from its tensors. */
    public static WorkProfile of(Model model) { return of(model, false); }

    /**
     * The model's profile; with {@code asInteger} float ops are priced as integer ones (used for a benchmark whose
     * submitted int8 model has the same graph as the float file at hand).
     */
    public static WorkProfile of(Model model, boolean asInteger) {
        SubgraphInfo g = model.mainSubgraph();
        List<double[]> ops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (OperatorInfo op : g.operators()) {
            ops.add(amounts(op, g, asInteger));
            names.add(op.opCode().displayName());
        }
        return new WorkProfile(ops, names);
    }

    /** One operator's amounts by kind. */
    public static double[] amounts(OperatorInfo op, SubgraphInfo g, boolean asInteger) {
        WorkCount w = EngineAccess.work(op, g);
        double[] v = new double[KINDS];
        v[WorkKind.LAYER.ordinal()] = 1;
        v[WorkKind.ELEMENT_OP.ordinal()] = w.elementOps();
        if (w.macs() > 0) v[macKind(op, g, asInteger).ordinal()] = w.macs();
        return v;
    }

    private static WorkKind macKind(OperatorInfo op, SubgraphInfo g, boolean asInteger) {
        if (!asInteger && isFloat(op, g)) return WorkKind.FLOAT_MAC;
        return switch (op.opCode().displayName()) {
            case "CONV_2D" -> {
                TensorInfo f = g.tensor(op.input(1));
                yield f.dim(1) == 1 && f.dim(2) == 1 ? WorkKind.POINTWISE_MAC : WorkKind.CONV_MAC;
            }
            case "TRANSPOSE_CONV" -> WorkKind.CONV_MAC;
            case "DEPTHWISE_CONV_2D" -> WorkKind.DEPTHWISE_MAC;
            default -> WorkKind.FC_MAC;
        };
    }

    private static boolean isFloat(OperatorInfo op, SubgraphInfo g) {
        for (int t : op.outputs()) if (t >= 0 && g.tensor(t).type() == DataType.FLOAT32) return true;
        return false;
    }

    /** The whole model's amounts: the sum over operators plus one invoke. */
    public double[] total() {
        double[] t = new double[KINDS];
        for (double[] v : ops) for (int k = 0; k < KINDS; k++) t[k] += v[k];
        t[WorkKind.INVOKE.ordinal()] = 1;
        return t;
    }
}
