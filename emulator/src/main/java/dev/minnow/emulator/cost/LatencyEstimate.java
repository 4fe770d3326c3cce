package dev.minnow.emulator.cost;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.minnow.emulator.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An estimate of one inference of a model on a board with a stack: latency (and energy when the board's power is
 * known or can be derived), each with the error band the cross-validation gives, and the cost of every operator.
 *
 * @param board      board id
 * @param boardName  board name
 * @param stack      stack id
 * @param stackName  stack name
 * @param coreClass  the core class priced
 * @param clockMhz   clock the latency is computed at
 * @param cycles     estimated cycles
 * @param latencyMs  estimated latency in ms
 * @param latency    the latency's error band
 * @param energyUj   estimated energy per inference in microjoules, null when no power figure applies
 * @param energy     the energy's error band, null with no energy
 * @param powerMw    power used for the energy, null with no energy
 * @param powerBasis where the power figure comes from
 * @param ops        per-operator cost, in execution order; the last entry is the per-invoke overhead
 * @param notes      assumptions that apply to this estimate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LatencyEstimate(String board, String boardName, String stack, String stackName, String coreClass,
                              double clockMhz, double cycles, double latencyMs, Band latency, Double energyUj, Band energy,
                              Double powerMw, String powerBasis, List<OpCost> ops, List<String> notes) {

    /**
     * The range a measurement falls in when the estimate's relative error is at most the p90 error of the rows the
     * band is based on: {@code [estimate / (1 + p90), estimate / (1 - p90)]}; {@code high} is null when p90 >= 1.
     *
     * @param low         lower end
     * @param high        upper end, null when unbounded
     * @param medianError median absolute relative error of the basis rows
     * @param p90Error    90th percentile absolute relative error of the basis rows
     * @param rows        number of basis rows
     * @param basis       which cross-validation and rows the numbers come from
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Band(double low, Double high, double medianError, double p90Error, int rows, String basis) {
        /** The band around {@code estimate} for the given error statistics. */
        public static Band around(double estimate, ErrorStat e, String basis) {
            return new Band(estimate / (1 + e.p90()), e.p90() < 1 ? estimate / (1 - e.p90()) : null, e.median(), e.p90(), e.n(), basis);
        }
    }

    /** One operator's share: its index (-1 for the invoke overhead), name, the kind costing most, cycles and ms. */
    public record OpCost(int index, String op, WorkKind mainKind, double cycles, double ms, double share) {}

    public LatencyEstimate {
        ops = List.copyOf(ops);
        notes = List.copyOf(notes);
    }

    /** The operators from most to least expensive. */
    public List<OpCost> opsByCost() {
        List<OpCost> sorted = new ArrayList<>(ops);
        sorted.sort((a, b) -> Double.compare(b.cycles(), a.cycles()));
        return sorted;
    }

    /** A readable report with the bands and the per-op table. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "board    %s (%s, %s MHz)%n", boardName, coreClass, fmt(clockMhz)));
        s.append(String.format(Locale.ROOT, "stack    %s (%s)%n", stackName, stack));
        s.append(String.format(Locale.ROOT, "latency  %s ms  (expected %s..%s ms: median error %.0f%%, 90%% within %.0f%%; %s)%n",
                fmt(latencyMs), fmt(latency.low()), latency.high() == null ? "unbounded" : fmt(latency.high()),
                100 * latency.medianError(), 100 * latency.p90Error(), latency.basis()));
        if (energyUj != null) {
            s.append(String.format(Locale.ROOT, "energy   %s uJ  (expected %s..%s uJ: median error %.0f%%, 90%% within %.0f%%; %s; power %s mW, %s)%n",
                    fmt(energyUj), fmt(energy.low()), energy.high() == null ? "unbounded" : fmt(energy.high()),
                    100 * energy.medianError(), 100 * energy.p90Error(), energy.basis(), fmt(powerMw), powerBasis));
        } else {
            s.append("energy   no estimate: ").append(powerBasis).append('\n');
        }
        s.append(String.format(Locale.ROOT, "%4s  %-30s %-14s %12s %10s %7s%n", "#", "op", "main cost", "cycles", "ms", "share"));
        for (OpCost o : ops) {
            s.append(String.format(Locale.ROOT, "%4s  %-30s %-14s %,12.0f %10s %6.1f%%%n", o.index() < 0 ? "-" : Integer.toString(o.index()),
                    o.op(), o.mainKind().label(), o.cycles(), fmt(o.ms()), 100 * o.share()));
        }
        for (String n : notes) s.append("note: ").append(n).append('\n');
        return s.toString();
    }

    /** The estimate as indented JSON. */
    public String toJson() { return Json.pretty(this); }

    /** Four significant digits. */
    static String fmt(double v) {
        if (v == 0) return "0";
        double mag = Math.floor(Math.log10(Math.abs(v)));
        int decimals = (int) Math.max(0, 3 - mag);
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
