package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.arena.ArenaPlanException;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.Target;
import dev.minnow.conformance.CorpusCase;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.ControlFlowModels;
import dev.minnow.testkit.Corpus;
import dev.minnow.testkit.TflmCase;
import dev.minnow.util.LittleEndian;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.SubgraphWriter;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multi-subgraph models: control flow (IF, WHILE, CALL_ONCE), resource variables across invokes and
 * {@link Interpreter#reset()}, the rejections TFLM makes, and the interpreter's view of every subgraph. The models'
 * outputs and arena bytes against the real TFLM are in {@code TflmComparisonTest}.
 */
class SubgraphTest {
    private static final InterpreterOptions OPTIONS = new InterpreterOptions();

    /** The WHILE corpus cases . */
    @Test
    void whileCorpusCasesMatchTflmOutputsAndArena() throws Exception {
        Path dir = Corpus.require().resolve("ops/WHILE");
        int sets = 0, rejected = 0;
        try (var cases = Files.list(dir)) {
            for (Path p : cases.sorted().toList()) {
                CorpusCase c = CorpusCase.read(p);
                Model model = Model.load(c.model());
                if (c.expectsError()) {
                    assertThrows(MinnowException.class, () -> new Interpreter(model, OPTIONS).allocateTensors(), c.id());
                    rejected++;
                    continue;
                }
                Interpreter host = new Interpreter(model, new InterpreterOptions().setTarget(Target.HOST64)
                        .setOpResolver(OPTIONS.opResolver()));
                host.allocateTensors();
                assertEquals(c.arena().host64().longValue(), host.arenaReport().usedBytes(), c.id() + " host64 used bytes");
                assertEquals(c.arena().minHost64().longValue(), host.arenaReport().minimumArenaBytes(), c.id() + " host64 minimum");
                for (CorpusCase.InputSet set : c.sets()) {
                    Interpreter it = new Interpreter(model, OPTIONS);
                    it.allocateTensors();
                    for (int k = 0; k < set.inputs().size(); k++) it.getInputTensor(k).copyFrom(Files.readAllBytes(p.resolve(set.inputs().get(k))));
                    it.invoke();
                    for (int k = 0; k < set.outputs().size(); k++) {
                        assertArrayEquals(Files.readAllBytes(p.resolve(set.outputs().get(k))), it.getOutputTensor(k).toByteArray(),
                                c.id() + " " + set.id() + " output " + k);
                    }
                    sets++;
                }
            }
        }
        assertEquals(24, sets);
        assertEquals(2, rejected);
    }

    @Test
    void ifRunsTheBranchTheConditionNames() {
        // then: x + k, else: x - k, with k = 1
        Model model = ifModel(DataType.FLOAT32, new int[] {3}, new int[] {3});
        Interpreter it = new Interpreter(model);
        it.allocateTensors();
        it.getInputTensor(1).copyFrom(new float[] {1, 2, 3});
        it.getInputTensor(0).copyFrom(new byte[] {1});
        it.invoke();
        assertArrayEquals(new float[] {2, 3, 4}, floats(it.getOutputTensor(0)));
        it.getInputTensor(0).copyFrom(new byte[] {0});
        it.invoke();
        assertArrayEquals(new float[] {0, 1, 2}, floats(it.getOutputTensor(0)));
        // TFLM reads the condition as a C bool: any non-zero byte is true.
        it.getInputTensor(0).copyFrom(new byte[] {(byte) 0x80});
        it.invoke();
        assertArrayEquals(new float[] {2, 3, 4}, floats(it.getOutputTensor(0)));
    }

    @Test
    void anElseBranchOfAnotherSizeFailsOnlyWhenItRuns() {
        // TFLM's Prepare checks the then branch only; copying into a mismatched else branch fails at invoke.
        Model model = ifModel(DataType.FLOAT32, new int[] {3}, new int[] {4});
        Interpreter it = new Interpreter(model);
        it.allocateTensors();
        it.getInputTensor(1).copyFrom(new float[] {1, 2, 3});
        it.getInputTensor(0).copyFrom(new byte[] {1});
        it.invoke();
        assertArrayEquals(new float[] {2, 3, 4}, floats(it.getOutputTensor(0)));
        it.getInputTensor(0).copyFrom(new byte[] {0});
        KernelException e = assertThrows(KernelException.class, it::invoke);
        assertTrue(e.getMessage().contains("else-subgraph 2") && e.getMessage().contains("12 bytes"), e.getMessage());
    }

    @Test
    void controlFlowRejectionsNameTheProblem() {
        assertRejected("does not exist", ifWithBranches(5, 2));
        assertRejected("does not exist", ifWithBranches(-1, 2));
        // CALL_ONCE of the main subgraph: TFLM's planner would recurse for ever.
        ModelWriter self = new ModelWriter();
        self.main(); // subgraph 0 before the ones addSubgraph adds
        int sx = self.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        self.addOperator("CALL_ONCE", 1, new int[] {}, new int[] {}, "CallOnceOptions", opts("initSubgraphIndex", 0));
        self.setInputs(sx).setOutputs(sx);
        assertRejected("already running", Model.load(self.build()));
        // Types that differ between the node and a branch (TFLM's debug build aborts on its DCHECK).
        assertRejected("different types", ifModel(DataType.FLOAT32, new int[] {3}, new int[] {3}, DataType.INT32));
        // The condition must be a one-element bool.
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int c = b.addTensor("c", DataType.INT8, new int[] {}, null);
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        SubgraphWriter t = b.addSubgraph("then"), e = b.addSubgraph("else");
        b.addOperator("IF", 1, new int[] {c, x}, new int[] {y}, "IfOptions", opts("thenSubgraphIndex", 1, "elseSubgraphIndex", 2));
        passThrough(t, DataType.FLOAT32, new int[] {2});
        passThrough(e, DataType.FLOAT32, new int[] {2});
        b.setInputs(c, x).setOutputs(y);
        assertRejected("must be bool", Model.load(b.build()));
        // CALL_ONCE takes no tensors.
        ModelWriter co = new ModelWriter();
        co.main(); // subgraph 0 before the ones addSubgraph adds
        int in = co.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        SubgraphWriter init = co.addSubgraph("init");
        co.addOperator("CALL_ONCE", 1, new int[] {in}, new int[] {}, "CallOnceOptions", opts("initSubgraphIndex", init.index()));
        co.setInputs(in).setOutputs(in);
        assertRejected("expected none", Model.load(co.build()));
    }

    @Test
    void aControlFlowOperatorWithoutItsOptionsIsRefused() {
        // TFLM's planner dereferences the IfOptions without a check.
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int c = b.addTensor("c", DataType.BOOL, new int[] {1}, null);
        SubgraphWriter other = b.addSubgraph("other");
        b.addOperator("IF", 1, new int[] {c}, new int[] {}, null, null);
        other.setInputs().setOutputs();
        b.setInputs(c).setOutputs(c);
        MinnowException e = assertThrows(MinnowException.class, () -> new Interpreter(Model.load(b.build())).allocateTensors());
        assertTrue(e instanceof ArenaPlanException || e instanceof KernelException, e.toString());
    }

    @Test
    void subgraphsCallingEachOtherInALoopAreRefused() {
        // main: CALL_ONCE(1); subgraph 1: CALL_ONCE(2); subgraph 2: CALL_ONCE(1).
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        SubgraphWriter one = b.addSubgraph("one"), two = b.addSubgraph("two");
        b.addOperator("CALL_ONCE", 1, new int[] {}, new int[] {}, "CallOnceOptions", opts("initSubgraphIndex", 1));
        one.addOperator("CALL_ONCE", 1, new int[] {}, new int[] {}, "CallOnceOptions", opts("initSubgraphIndex", 2));
        two.addOperator("CALL_ONCE", 1, new int[] {}, new int[] {}, "CallOnceOptions", opts("initSubgraphIndex", 1));
        b.setInputs(x).setOutputs(x);
        ArenaPlanException e = assertThrows(ArenaPlanException.class, () -> new Interpreter(Model.load(b.build())).allocateTensors());
        assertTrue(e.getMessage().contains("runs subgraph 1, which is already running"), e.getMessage());
    }

    @Test
    void aCallGraphThatDoublesAtEveryLevelIsRefusedQuickly() {
        // 40 levels of IF(then = next, else = next): TFLM's planner would walk 2^40 subgraph visits.
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int c = b.addTensor("c", DataType.BOOL, new int[] {1}, null);
        int levels = 40;
        SubgraphWriter[] g = new SubgraphWriter[levels + 1];
        for (int i = 1; i <= levels; i++) g[i] = b.addSubgraph("level" + i);
        b.addOperator("IF", 1, new int[] {c, c}, new int[] {}, "IfOptions", opts("thenSubgraphIndex", 1, "elseSubgraphIndex", 1));
        for (int i = 1; i <= levels; i++) {
            int gc = g[i].addTensor("c", DataType.BOOL, new int[] {1}, null);
            g[i].setInputs(gc).setOutputs();
            if (i < levels) {
                g[i].addOperator("IF", 1, new int[] {gc, gc}, new int[] {}, "IfOptions",
                        opts("thenSubgraphIndex", i + 1, "elseSubgraphIndex", i + 1));
            }
        }
        b.setInputs(c).setOutputs(c);
        long start = System.nanoTime();
        ArenaPlanException e = assertThrows(ArenaPlanException.class, () -> new Interpreter(Model.load(b.build())).allocateTensors());
        assertTrue(e.getMessage().contains("node visits"), e.getMessage());
        assertTrue(System.nanoTime() - start < 30_000_000_000L, "refusal took too long");
    }

    @Test
    void resourceVariablesPersistAcrossInvokesAndResetToTheirDefault() {
        // sum = variable + x; variable := sum; the variable is int8 with zero point -5 and never initialised.
        Quantization q = new Quantization(new float[] {0.5f}, new long[] {-5}, 0);
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int x = b.addTensor("x", DataType.INT8, new int[] {2}, q);
        int h = b.addTensor("h", DataType.RESOURCE, new int[] {}, null);
        int v = b.addTensor("v", DataType.INT8, new int[] {2}, q);
        int s = b.addTensor("s", DataType.INT8, new int[] {2}, q);
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {h}, "VarHandleOptions", opts("container", "", "sharedName", "acc"));
        b.addOperator("READ_VARIABLE", 1, new int[] {h}, new int[] {v}, null, null);
        b.addOperator("ADD", 1, new int[] {v, x}, new int[] {s}, "AddOptions", opts("fusedActivationFunction", 0));
        b.addOperator("ASSIGN_VARIABLE", 1, new int[] {h, s}, new int[] {}, null, null);
        b.setInputs(x).setOutputs(v, s);
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        // Real values: variable starts at 0 (the zero point); x = 1.0 and 2.0 (q = -3, -1).
        it.getInputTensor(0).copyFrom(new byte[] {-3, -1});
        it.invoke();
        assertArrayEquals(new byte[] {-5, -5}, it.getOutputTensor(0).toByteArray());
        assertArrayEquals(new byte[] {-3, -1}, it.getOutputTensor(1).toByteArray());
        it.invoke();
        assertArrayEquals(new byte[] {-3, -1}, it.getOutputTensor(0).toByteArray());
        assertArrayEquals(new byte[] {-1, 3}, it.getOutputTensor(1).toByteArray());
        it.reset();
        it.invoke();
        assertArrayEquals(new byte[] {-5, -5}, it.getOutputTensor(0).toByteArray(), "reset returns the variable to its zero point");
        // The VAR_HANDLE's output holds the id in its own memory, outside the planned head (as TFLM's OpData).
        assertTrue(it.arenaReport().tensors().stream().noneMatch(t -> t.subgraph() == 0 && t.index() == h));
    }

    @Test
    void callOnceRunsItsInitSubgraphOnceAndResetDoesNotReplayIt() {
        TflmCase c = ControlFlowModels.cases().stream().filter(k -> k.name().equals("call_once_variables")).findFirst().orElseThrow();
        Interpreter it = new Interpreter(Model.load(c.model()));
        it.allocateTensors();
        Tensor x = it.getInputTensor(0);
        x.copyFrom(new float[] {0, 0, 0, 0});
        it.getInputTensor(1).copyFrom(new byte[6]);
        it.invoke();
        float[] initial = floats(it.getOutputTensor(0));   // a0 + 0
        it.invoke();
        assertArrayEquals(initial, floats(it.getOutputTensor(0)), "x = 0 keeps the variable");
        x.copyFrom(new float[] {1, 1, 1, 1});
        it.invoke();
        float[] plusOne = floats(it.getOutputTensor(0));
        for (int i = 0; i < 4; i++) assertEquals(initial[i] + 1f, plusOne[i]);
        // TFLM's Reset: variables back to 0, and CALL_ONCE (no reset in its registration) does not run again.
        it.reset();
        x.copyFrom(new float[] {2, 3, 4, 5});
        it.invoke();
        assertArrayEquals(new float[] {2, 3, 4, 5}, floats(it.getOutputTensor(0)));
        assertArrayEquals(new float[] {0, 0}, floats(it.getOutputTensor(2)), "the init-only variable is zero after reset");
    }

    @Test
    void readingAVariableNoAssignmentAllocatedFailsAtInvoke() {
        // The handle reaches ASSIGN_VARIABLE only through an IF input, so no Prepare allocates the variable.
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int c = b.addTensor("c", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
        int h = b.addTensor("h", DataType.RESOURCE, new int[] {}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        SubgraphWriter t = b.addSubgraph("then"), e = b.addSubgraph("else");
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {h}, "VarHandleOptions", opts("container", "", "sharedName", "v"));
        b.addOperator("IF", 1, new int[] {c, h, x}, new int[] {y}, "IfOptions", opts("thenSubgraphIndex", 1, "elseSubgraphIndex", 2));
        for (SubgraphWriter g : List.of(t, e)) {
            int gh = g.addTensor("h", DataType.RESOURCE, new int[] {}, null);
            int gx = g.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
            int gv = g.addTensor("v", DataType.FLOAT32, new int[] {2}, null);
            g.addOperator("ASSIGN_VARIABLE", 1, new int[] {gh, gx}, new int[] {}, null, null);
            g.addOperator("READ_VARIABLE", 1, new int[] {gh}, new int[] {gv}, null, null);
            g.setInputs(gh, gx).setOutputs(gv);
        }
        b.setInputs(c, x).setOutputs(y);
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        it.getInputTensor(0).copyFrom(new byte[] {1});
        KernelException ex = assertThrows(KernelException.class, it::invoke);
        assertTrue(ex.getMessage().contains("resource variable 0"), ex.getMessage());
    }

    @Test
    void variableHandleRejections() {
        // No shared name (TFLM compares names with strcmp).
        assertRejected("shared_name", variableModel(opts("container", ""), opts("container", "", "sharedName", "a")));
        // A null container meeting a stored one is fine; a stored null container met by a named one crashes TFLM.
        assertRejected("without", variableModel(opts("sharedName", "a"), opts("container", "c", "sharedName", "b")));
        Interpreter ok = new Interpreter(variableModel(opts("container", "c", "sharedName", "a"), opts("sharedName", "a")));
        ok.allocateTensors();
    }

    @Test
    void theInterpreterShowsEverySubgraph() {
        TflmCase c = ControlFlowModels.cases().stream().filter(k -> k.name().equals("if_mean_scratch")).findFirst().orElseThrow();
        Interpreter it = new Interpreter(Model.load(c.model()), new InterpreterOptions().setTarget(Target.HOST64));
        it.allocateTensors();
        assertEquals(3, it.getSubgraphCount());
        assertEquals("twice", it.getTensor(2, 2).name());
        assertEquals(2, it.nodeFootprint(1, 0).scratchBytes().length, "the then branch's MEAN requests scratch");
        ArenaReport r = it.arenaReport();
        assertTrue(r.tensors().stream().anyMatch(t -> t.subgraph() == 2 && t.name().equals("twice")), "planned tensors of subgraph 2");
        // A branch's tensors live inside the IF's scope: after the main MEAN (scope 1), before the outputs' last use.
        ArenaReport.PlannedTensor twice = r.tensors().stream().filter(t -> t.subgraph() == 2 && t.name().equals("twice")).findFirst().orElseThrow();
        assertTrue(twice.firstUse() > 2 && twice.lastUse() <= r.tensors().stream().mapToInt(ArenaReport.PlannedTensor::lastUse).max().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> it.getTensor(3, 0));
    }

    @Test
    void invokingControlFlowAllocatesNothing() {
        var bean = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        for (String name : List.of("while_nested_if", "call_once_variables", "variable_through_if")) {
            TflmCase c = ControlFlowModels.cases().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
            Interpreter it = new Interpreter(Model.load(c.model()), OPTIONS);
            it.allocateTensors();
            for (int k = 0; k < it.getInputTensorCount(); k++) {
                Tensor t = it.getInputTensor(k);
                t.copyFrom(java.util.Arrays.copyOf(c.runs().get(0).inputs().get(k), t.numBytes()));
            }
            long id = Thread.currentThread().getId();
            int quiet = 0;
            long last = -1;
            for (int round = 0; round < 40 && quiet < 3; round++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 10; i++) it.invoke();
                last = threads.getThreadAllocatedBytes(id) - before;
                quiet = last == 0 ? quiet + 1 : 0;
            }
            assertEquals(0, last, name + ": 10 invokes still allocated " + last + " bytes after warm-up");
        }
    }

    // ---- models ----

    /** IF(cond, x) with then: x + 1 (shape {@code thenShape}) and else: x - 1 (shape {@code elseShape}). */
    private static Model ifModel(DataType type, int[] thenShape, int[] elseShape) {
        return ifModel(type, thenShape, elseShape, type);
    }

    private static Model ifModel(DataType type, int[] thenShape, int[] elseShape, DataType elseType) {
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int c = b.addTensor("cond", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", type, thenShape, null);
        int y = b.addTensor("y", type, thenShape, null);
        SubgraphWriter t = b.addSubgraph("then"), e = b.addSubgraph("else");
        b.addOperator("IF", 1, new int[] {c, x}, new int[] {y}, "IfOptions", opts("thenSubgraphIndex", 1, "elseSubgraphIndex", 2));
        plusConstant(t, "ADD", "AddOptions", type, thenShape);
        plusConstant(e, "SUB", "SubOptions", elseType, elseShape);
        b.setInputs(c, x).setOutputs(y);
        return Model.load(b.build());
    }

    private static Model ifWithBranches(int then, int otherwise) {
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int c = b.addTensor("cond", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        SubgraphWriter t = b.addSubgraph("then"), e = b.addSubgraph("else");
        b.addOperator("IF", 1, new int[] {c, x}, new int[] {y}, "IfOptions", opts("thenSubgraphIndex", then, "elseSubgraphIndex", otherwise));
        passThrough(t, DataType.FLOAT32, new int[] {2});
        passThrough(e, DataType.FLOAT32, new int[] {2});
        b.setInputs(c, x).setOutputs(y);
        return Model.load(b.build());
    }

    /** Two VAR_HANDLEs with the given options, each read. */
    private static Model variableModel(Map<String, Object> first, Map<String, Object> second) {
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int h1 = b.addTensor("h1", DataType.RESOURCE, new int[] {}, null);
        int h2 = b.addTensor("h2", DataType.RESOURCE, new int[] {}, null);
        int k = b.addConstant("k", DataType.FLOAT32, new int[] {1}, null, new byte[4]);
        int v = b.addTensor("v", DataType.FLOAT32, new int[] {1}, null);
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {h1}, "VarHandleOptions", first);
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {h2}, "VarHandleOptions", second);
        b.addOperator("ASSIGN_VARIABLE", 1, new int[] {h2, k}, new int[] {}, null, null);
        b.addOperator("READ_VARIABLE", 1, new int[] {h2}, new int[] {v}, null, null);
        b.setInputs().setOutputs(v);
        return Model.load(b.build());
    }

    /** y = OP(x, 1) with a constant 1 (float32) or 1 (int32). */
    private static void plusConstant(SubgraphWriter g, String op, String options, DataType type, int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        byte[] one = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            if (type == DataType.FLOAT32) LittleEndian.putFloat(one, 4 * i, 1f);
            else LittleEndian.putInt(one, 4 * i, 1);
        }
        int x = g.addTensor("x", type, shape, null);
        int k = g.addConstant("one", type, shape, null, one);
        int y = g.addTensor("y", type, shape, null);
        g.addOperator(op, 1, new int[] {x, k}, new int[] {y}, options, opts("fusedActivationFunction", 0));
        g.setInputs(x).setOutputs(y);
    }

    /** A subgraph whose output is its input. */
    private static void passThrough(SubgraphWriter g, DataType type, int[] shape) {
        int x = g.addTensor("x", type, shape, null);
        g.setInputs(x).setOutputs(x);
    }

    private static void assertRejected(String fragment, Model model) {
        MinnowException e = assertThrows(MinnowException.class, () -> new Interpreter(model).allocateTensors());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private static float[] floats(Tensor t) {
        float[] f = new float[t.numElements()];
        t.copyTo(f);
        return f;
    }

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
