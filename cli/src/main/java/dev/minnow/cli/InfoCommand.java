package dev.minnow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minnow.MinnowException;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.BuiltinOperator;
import dev.minnow.model.Model;
import dev.minnow.ops.Ops;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code minnow info MODEL [--json] [--target mcu32|host64]}: what a model holds and whether minnow runs it;
 * {@code minnow info --ops}: the operators minnow has kernels for.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Describe a model: inputs and outputs (shape, type, quantization), the operators it uses with "
                + "their versions and whether minnow supports each, tensor count, bytes of weights, metadata, "
                + "signatures, and whether the engine can allocate it on the target.",
                "With --ops instead of MODEL: list the operators minnow has kernels for."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the model allocates in the engine (or --ops)",
                "1:it cannot (the report is still printed; the op or check that fails also goes to stderr), or the file is not a valid model",
                "2:bad usage, a missing or unreadable file"})
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "the .tflite file")
    Path model;

    @Option(names = "--ops", description = "list the operators minnow supports (builtin code, name; custom ops by their custom code) instead of describing a model")
    boolean ops;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "mcu32",
            description = "the target the allocation is judged on: mcu32 (default) or host64",
            converter = ArenaCommand.TargetConverter.class)
    Target target;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @picocli.CommandLine.Mixin DebugOption debug;

    @picocli.CommandLine.Mixin BudgetOption budget;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        if (ops == (model != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    ops ? "--ops lists the supported operators; it takes no MODEL" : "give a MODEL to describe, or --ops");
        }
        if (ops) return listOps();
        Model m = ModelFiles.load(model);
        ModelDescription.Allocation allocation;
        try (Interpreter interpreter = new Interpreter(m, budget.apply(new InterpreterOptions().setTarget(target)))) {
            interpreter.allocateTensors();
            ArenaReport report = interpreter.arenaReport();
            allocation = new ModelDescription.Allocation(target, report, null);
        } catch (MinnowException e) {
            allocation = new ModelDescription.Allocation(target, null, e.getMessage()
                    + BudgetOption.hintFor(e));
        }
        ModelDescription d = new ModelDescription(model.toString(), m, allocation);
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(d.json());
        else out.print(d.text());
        out.flush();
        if (!allocation.ok()) {
            throw UserError.failed(model + ": the model cannot be allocated on " + target.id() + ": " + allocation.error());
        }
        return 0;
    }

    /** Every operator of minnow's op table, builtins in code order, then the custom ops. */
    private int listOps() {
        List<String[]> rows = new ArrayList<>();   // {code or "custom", name}
        for (BuiltinOperator op : BuiltinOperator.values()) {
            if (Ops.find(op) != null) rows.add(new String[] {String.valueOf(op.code()), op.name()});
        }
        for (String name : Ops.all().keySet()) {
            if (name.startsWith("CUSTOM:")) rows.add(new String[] {"custom", name});
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode a = new ObjectMapper().createArrayNode();
            for (String[] r : rows) {
                ObjectNode o = a.addObject();
                if (r[0].equals("custom")) o.put("customCode", r[1].substring("CUSTOM:".length()));
                else o.put("builtinCode", Integer.parseInt(r[0]));
                o.put("name", r[1]);
            }
            out.println(a);
        } else {
            long builtins = rows.stream().filter(r -> !r[0].equals("custom")).count();
            out.println(builtins + " builtin and " + (rows.size() - builtins) + " custom operators, each as TFLM's reference kernels compute it:");
            for (String[] r : rows) out.printf(Locale.ROOT, "  %-7s %s%n", r[0], r[1]);
        }
        out.flush();
        return 0;
    }
}
