package dev.minnow.emulator.cost;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.Json;

import java.util.List;
import java.util.Map;

/**
 * The fitted latency and energy model ({@code cost-model.json}, written by {@link CostModelFitter}): cycles per
 * unit of each work kind on the reference core and stack, a speed factor per core class and per stack, each stack's
 * per-kind factors, board power, and the cross-validated errors that make the error bands. Every published row is
 * kept with its fitted and leave-one-out predictions.
 *
 * @param source         what the model was fitted on
 * @param referenceCore  core class with factor 1
 * @param referenceStack stack with factor 1
 * @param softFloatFactor assumed multiplier of float MACs on a core without an FPU (not fitted: no such row)
 * @param cyclesPerUnit  cycles per unit of each kind on the reference core and stack
 * @param cores          every core class the spec knows, with its factor and number of published rows
 * @param stacks         every stack, with its factor, per-kind factors and number of published rows
 * @param latencyErrors  cross-validated latency errors
 * @param energy         board power and cross-validated energy errors
 * @param rows           every published row used, with its predictions
 */
public record CostModel(String source, String referenceCore, String referenceStack, double softFloatFactor,
                        Map<WorkKind, Double> cyclesPerUnit,
                        List<CoreFit> cores, List<StackFit> stacks, LatencyErrors latencyErrors, EnergyFit energy,
                        List<RowPrediction> rows) {

    /** Resource holding the shipped fit. */
    public static final String RESOURCE = "/dev/minnow/emulator/cost-model.json";

    /** A core class's fitted speed factor (cycles relative to the reference core) and its number of rows. */
    public record CoreFit(String name, double factor, int rows) {}

    /** A stack's fitted factor, per-kind factors and number of rows. */
    public record StackFit(String id, String name, String description, double factor, Map<WorkKind, Double> kindFactors,
                           int rows) {
        public StackFit {
            kindFactors = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(kindFactors));
        }
    }

    /**
     * Latency errors of three cross-validations: leave one row out (the row's core and stack keep their other rows),
     * leave one system out (a board and stack configuration never seen), leave one core class out (a core never seen,
     * its factor from the CoreMark prior alone; {@code loco} pools the classes without an accelerator, the case of
     * a new CPU-only board).
     */
    public record LatencyErrors(Map<String, ErrorStat> looByCore, ErrorStat loo, Map<String, ErrorStat> losoByCore,
                                ErrorStat loso, Map<String, ErrorStat> locoByCore, ErrorStat loco) {}

    /**
     * Power = mW per MHz x clock, the mW per MHz (energy / latency / clock) being the median of the board's energy
     * rows, else of its core class's, else of all rows. Errors: leave one row out (board seen) and with the board's
     * own rows left out (board unseen).
     */
    public record EnergyFit(Map<String, Double> boardMwPerMhz, Map<String, Double> coreMwPerMhz, double mwPerMhz,
                            Map<String, ErrorStat> looByCore, ErrorStat loo, ErrorStat boardUnseen) {}

    /** A published row with the model's fitted and leave-one-out predictions. */
    public record RowPrediction(int line, String round, String submitter, String system, String board, String coreClass,
                                String stack, String benchmark, String type, double clockMhz, double latencyMs,
                                double fittedMs, double looMs, Double energyUj, Double looEnergyUj) {}

    public CostModel {
        cyclesPerUnit = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(cyclesPerUnit));
        cores = List.copyOf(cores);
        stacks = List.copyOf(stacks);
        rows = List.copyOf(rows);
    }

    /** The shipped model (read once). */
    public static CostModel load() { return Shipped.MODEL; }

    private static final class Shipped {
        static final CostModel MODEL = read();
    }

    private static CostModel read() { return Json.resource(RESOURCE, CostModel.class); }

    /** The stack with this id; throws naming the known ids. */
    public StackFit stack(String id) {
        for (StackFit s : stacks) if (s.id().equals(id)) return s;
        StringBuilder known = new StringBuilder();
        for (StackFit s : stacks) known.append(known.length() == 0 ? "" : ", ").append(s.id());
        throw new EmulatorException("unknown stack '" + id + "'; known stacks: " + known);
    }

    /** The core class fit by name, or null when the spec has no such class. */
    public CoreFit core(String name) {
        for (CoreFit c : cores) if (c.name().equals(name)) return c;
        return null;
    }

    /** The model as indented JSON (the resource's format). */
    public String toJson() { return Json.pretty(this); }
}
