package dev.minnow.testkit;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.util.LittleEndian;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.SubgraphWriter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Multi-subgraph models built with {@link ModelWriter} to compare minnow's control flow, resource variables and
 * arena accounting with the real TFLM ({@link TflmRecords}, suite {@value #SUITE}): IF with branches of different
 * shapes of work (scratch buffers in a branch), WHILE with zero to several iterations, a WHILE whose body runs an IF,
 * CALL_ONCE initialising variables of two containers, a resource handle passed into an IF branch, an IF whose two
 * branches are one subgraph, and a subgraph no operator runs. Deterministic: the same calls build the same bytes.
 */
public final class ControlFlowModels {
    /** The suite name of the recorded TFLM results. */
    public static final String SUITE = "control-flow";

    private ControlFlowModels() {}

    /** Every model of the suite. */
    public static List<TflmCase> cases() {
        return List.of(ifFloat(), ifInt8(), ifMeanScratch(), whileFloat(), whileNestedIf(), callOnceVariables(),
                variableThroughIf(), ifSameBranch(), unreachableSubgraph());
    }

    // ---- the models ----

    /** IF(cond, x): then ADD(x, k), else SUB(x, k), float32. */
    static TflmCase ifFloat() {
        SplittableRandom r = new SplittableRandom(1);
        int[] shape = {2, 3};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int cond = b.addTensor("cond", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int y = b.addTensor("y", DataType.FLOAT32, shape, null);
        SubgraphWriter then = b.addSubgraph("then"), otherwise = b.addSubgraph("else");
        b.addOperator("IF", 1, new int[] {cond, x}, new int[] {y}, "IfOptions", ifOptions(then, otherwise));
        branch(then, "ADD", "AddOptions", DataType.FLOAT32, shape, null, floats(r, 6));
        branch(otherwise, "SUB", "SubOptions", DataType.FLOAT32, shape, null, floats(r, 6));
        b.setInputs(cond, x).setOutputs(y);
        return new TflmCase("if_float", b.build(), List.of(
                run(1, bools(true), floats(r, 6)), run(1, bools(false), floats(r, 6))));
    }

    /** IF on int8 data: then ADD then MUL (two nodes), else SUB; the quantization differs per tensor. */
    static TflmCase ifInt8() {
        SplittableRandom r = new SplittableRandom(2);
        int[] shape = {4, 5};
        Quantization qx = q(0.05f, -3), qy = q(0.11f, 4), qa = q(0.08f, 1), qk = q(0.02f, 0), qk2 = q(0.015f, -2);
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int cond = b.addTensor("cond", DataType.BOOL, new int[] {}, null);
        int x = b.addTensor("x", DataType.INT8, shape, qx);
        int y = b.addTensor("y", DataType.INT8, shape, qy);
        SubgraphWriter then = b.addSubgraph("then"), otherwise = b.addSubgraph("else");
        b.addOperator("IF", 1, new int[] {cond, x}, new int[] {y}, "IfOptions", ifOptions(then, otherwise));
        int tx = then.addTensor("x", DataType.INT8, shape, qx);
        int tk = then.addConstant("k", DataType.INT8, shape, qk, bytes(r, 20));
        int ta = then.addTensor("a", DataType.INT8, shape, qa);
        int tk2 = then.addConstant("k2", DataType.INT8, shape, qk2, bytes(r, 20));
        int ty = then.addTensor("y", DataType.INT8, shape, qy);
        then.addOperator("ADD", 1, new int[] {tx, tk}, new int[] {ta}, "AddOptions", opts("fusedActivationFunction", 0));
        then.addOperator("MUL", 1, new int[] {ta, tk2}, new int[] {ty}, "MulOptions", opts("fusedActivationFunction", 0));
        then.setInputs(tx).setOutputs(ty);
        branch(otherwise, "SUB", "SubOptions", DataType.INT8, shape, new Quantization[] {qx, qk, qy}, bytes(r, 20));
        b.setInputs(cond, x).setOutputs(y);
        return new TflmCase("if_int8", b.build(), List.of(
                run(1, bools(true), bytes(r, 20)), run(1, bools(false), bytes(r, 20))));
    }

    /**
     * A MEAN (scratch requests) in the main subgraph and in both branches of an IF: then MEAN(x), else ADD(x, x) then
     * MEAN; scratch lifetimes inside a control-flow node.
     */
    static TflmCase ifMeanScratch() {
        SplittableRandom r = new SplittableRandom(3);
        int[] shape = {1, 4, 4, 3}, reduced = {1, 1, 1, 3}, channelMean = {1, 4, 4, 1};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int cond = b.addTensor("cond", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int axis3 = b.addConstant("axis", DataType.INT32, new int[] {1}, null, ints(3));
        int m = b.addTensor("m", DataType.FLOAT32, channelMean, null);
        int y = b.addTensor("y", DataType.FLOAT32, reduced, null);
        SubgraphWriter then = b.addSubgraph("then"), otherwise = b.addSubgraph("else");
        b.addOperator("MEAN", 1, new int[] {x, axis3}, new int[] {m}, "ReducerOptions", opts("keepDims", true));
        b.addOperator("IF", 1, new int[] {cond, x}, new int[] {y}, "IfOptions", ifOptions(then, otherwise));
        int tx = then.addTensor("x", DataType.FLOAT32, shape, null);
        int tAxis = then.addConstant("axes", DataType.INT32, new int[] {2}, null, ints(1, 2));
        int ty = then.addTensor("y", DataType.FLOAT32, reduced, null);
        then.addOperator("MEAN", 1, new int[] {tx, tAxis}, new int[] {ty}, "ReducerOptions", opts("keepDims", true));
        then.setInputs(tx).setOutputs(ty);
        int ex = otherwise.addTensor("x", DataType.FLOAT32, shape, null);
        int eAxis = otherwise.addConstant("axes", DataType.INT32, new int[] {2}, null, ints(1, 2));
        int e2 = otherwise.addTensor("twice", DataType.FLOAT32, shape, null);
        int ey = otherwise.addTensor("y", DataType.FLOAT32, reduced, null);
        otherwise.addOperator("ADD", 1, new int[] {ex, ex}, new int[] {e2}, "AddOptions", opts("fusedActivationFunction", 0));
        otherwise.addOperator("MEAN", 1, new int[] {e2, eAxis}, new int[] {ey}, "ReducerOptions", opts("keepDims", true));
        otherwise.setInputs(ex).setOutputs(ey);
        b.setInputs(cond, x).setOutputs(y, m);
        return new TflmCase("if_mean_scratch", b.build(), List.of(
                run(1, bools(true), floats(r, 48)), run(1, bools(false), floats(r, 48))));
    }

    /** WHILE(i, x): cond LESS(i, 5), body i + 1 and x + k; from i = 0, 3 and 9 (no iteration). */
    static TflmCase whileFloat() {
        SplittableRandom r = new SplittableRandom(4);
        int[] shape = {4};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int i = b.addTensor("i", DataType.INT32, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int io = b.addTensor("i_out", DataType.INT32, new int[] {1}, null);
        int xo = b.addTensor("x_out", DataType.FLOAT32, shape, null);
        SubgraphWriter cond = b.addSubgraph("cond"), body = b.addSubgraph("body");
        b.addOperator("WHILE", 1, new int[] {i, x}, new int[] {io, xo}, "WhileOptions", whileOptions(cond, body));
        condLess(cond, DataType.FLOAT32, shape, null, 5);
        int bi = body.addTensor("i", DataType.INT32, new int[] {1}, null);
        int bx = body.addTensor("x", DataType.FLOAT32, shape, null);
        int one = body.addConstant("one", DataType.INT32, new int[] {1}, null, ints(1));
        int k = body.addConstant("k", DataType.FLOAT32, shape, null, floats(r, 4));
        int bi2 = body.addTensor("i_next", DataType.INT32, new int[] {1}, null);
        int bx2 = body.addTensor("x_next", DataType.FLOAT32, shape, null);
        body.addOperator("ADD", 1, new int[] {bi, one}, new int[] {bi2}, "AddOptions", opts("fusedActivationFunction", 0));
        body.addOperator("ADD", 1, new int[] {bx, k}, new int[] {bx2}, "AddOptions", opts("fusedActivationFunction", 0));
        body.setInputs(bi, bx).setOutputs(bi2, bx2);
        b.setInputs(i, x).setOutputs(io, xo);
        return new TflmCase("while_float", b.build(), List.of(
                run(1, ints(0), floats(r, 4)), run(1, ints(3), floats(r, 4)), run(1, ints(9), floats(r, 4))));
    }

    /** WHILE(i, x) whose body runs IF(i < 2, x): then x + k, else x * k2 — five subgraphs, control flow two deep. */
    static TflmCase whileNestedIf() {
        SplittableRandom r = new SplittableRandom(5);
        int[] shape = {3};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int i = b.addTensor("i", DataType.INT32, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int io = b.addTensor("i_out", DataType.INT32, new int[] {1}, null);
        int xo = b.addTensor("x_out", DataType.FLOAT32, shape, null);
        SubgraphWriter cond = b.addSubgraph("cond"), body = b.addSubgraph("body");
        SubgraphWriter then = b.addSubgraph("then"), otherwise = b.addSubgraph("else");
        b.addOperator("WHILE", 1, new int[] {i, x}, new int[] {io, xo}, "WhileOptions", whileOptions(cond, body));
        condLess(cond, DataType.FLOAT32, shape, null, 4);
        int bi = body.addTensor("i", DataType.INT32, new int[] {1}, null);
        int bx = body.addTensor("x", DataType.FLOAT32, shape, null);
        int one = body.addConstant("one", DataType.INT32, new int[] {1}, null, ints(1));
        int two = body.addConstant("two", DataType.INT32, new int[] {1}, null, ints(2));
        int c = body.addTensor("c", DataType.BOOL, new int[] {1}, null);
        int bi2 = body.addTensor("i_next", DataType.INT32, new int[] {1}, null);
        int bx2 = body.addTensor("x_next", DataType.FLOAT32, shape, null);
        body.addOperator("LESS", 1, new int[] {bi, two}, new int[] {c}, null, null);
        body.addOperator("IF", 1, new int[] {c, bx}, new int[] {bx2}, "IfOptions", ifOptions(then, otherwise));
        body.addOperator("ADD", 1, new int[] {bi, one}, new int[] {bi2}, "AddOptions", opts("fusedActivationFunction", 0));
        body.setInputs(bi, bx).setOutputs(bi2, bx2);
        branch(then, "ADD", "AddOptions", DataType.FLOAT32, shape, null, floats(r, 3));
        branch(otherwise, "MUL", "MulOptions", DataType.FLOAT32, shape, null, floats(r, 3));
        b.setInputs(i, x).setOutputs(io, xo);
        return new TflmCase("while_nested_if", b.build(), List.of(
                run(1, ints(0), floats(r, 3)), run(1, ints(2), floats(r, 3)), run(1, ints(7), floats(r, 3))));
    }

    /**
     * CALL_ONCE initialising three variables (float32 "a"; int8 "b" of container "c"; float32 "only_init", assigned in
     * the init subgraph only, so its buffer comes from the init subgraph's Prepare); the main subgraph reads them, adds
     * its inputs to two and assigns them back. Three frames: the variables persist.
     */
    static TflmCase callOnceVariables() {
        SplittableRandom r = new SplittableRandom(6);
        int[] fs = {4}, qs = {2, 3};
        Quantization qb = q(0.03f, -7);
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int x = b.addTensor("x", DataType.FLOAT32, fs, null);
        int xq = b.addTensor("xq", DataType.INT8, qs, qb);
        int ha = b.addTensor("ha", DataType.RESOURCE, new int[] {}, null);
        int hb = b.addTensor("hb", DataType.RESOURCE, new int[] {}, null);
        int hc = b.addTensor("hc", DataType.RESOURCE, new int[] {}, null);
        int va = b.addTensor("va", DataType.FLOAT32, fs, null);
        int vb = b.addTensor("vb", DataType.INT8, qs, qb);
        int vc = b.addTensor("vc", DataType.FLOAT32, new int[] {2}, null);
        int sa = b.addTensor("sa", DataType.FLOAT32, fs, null);
        int sb = b.addTensor("sb", DataType.INT8, qs, qb);
        SubgraphWriter init = b.addSubgraph("init");
        b.addOperator("CALL_ONCE", 1, new int[] {}, new int[] {}, "CallOnceOptions", opts("initSubgraphIndex", init.index()));
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {ha}, "VarHandleOptions", opts("container", "", "sharedName", "a"));
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {hb}, "VarHandleOptions", opts("container", "c", "sharedName", "b"));
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {hc}, "VarHandleOptions", opts("container", "", "sharedName", "only_init"));
        b.addOperator("READ_VARIABLE", 1, new int[] {ha}, new int[] {va}, null, null);
        b.addOperator("READ_VARIABLE", 1, new int[] {hb}, new int[] {vb}, null, null);
        b.addOperator("READ_VARIABLE", 1, new int[] {hc}, new int[] {vc}, null, null);
        b.addOperator("ADD", 1, new int[] {va, x}, new int[] {sa}, "AddOptions", opts("fusedActivationFunction", 0));
        b.addOperator("ADD", 1, new int[] {vb, xq}, new int[] {sb}, "AddOptions", opts("fusedActivationFunction", 0));
        b.addOperator("ASSIGN_VARIABLE", 1, new int[] {ha, sa}, new int[] {}, null, null);
        b.addOperator("ASSIGN_VARIABLE", 1, new int[] {hb, sb}, new int[] {}, null, null);
        int ia = init.addTensor("ha", DataType.RESOURCE, new int[] {}, null);
        int ib = init.addTensor("hb", DataType.RESOURCE, new int[] {}, null);
        int ic = init.addTensor("hc", DataType.RESOURCE, new int[] {}, null);
        int ka = init.addConstant("a0", DataType.FLOAT32, fs, null, floats(r, 4));
        int kb = init.addConstant("b0", DataType.INT8, qs, qb, bytes(r, 6));
        int kc = init.addConstant("c0", DataType.FLOAT32, new int[] {2}, null, floats(r, 2));
        init.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {ia}, "VarHandleOptions", opts("container", "", "sharedName", "a"));
        init.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {ib}, "VarHandleOptions", opts("container", "c", "sharedName", "b"));
        init.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {ic}, "VarHandleOptions", opts("container", "", "sharedName", "only_init"));
        init.addOperator("ASSIGN_VARIABLE", 1, new int[] {ia, ka}, new int[] {}, null, null);
        init.addOperator("ASSIGN_VARIABLE", 1, new int[] {ib, kb}, new int[] {}, null, null);
        init.addOperator("ASSIGN_VARIABLE", 1, new int[] {ic, kc}, new int[] {}, null, null);
        b.setInputs(x, xq).setOutputs(sa, sb, vc);
        return new TflmCase("call_once_variables", b.build(), List.of(
                run(3, floats(r, 12), bytes(r, 18)), run(1, floats(r, 4), bytes(r, 6))));
    }

    /**
     * A resource handle passed into an IF: then reads the variable and adds x, else squares x; the main subgraph
     * reads the variable first and assigns the IF's result after. The branch cannot allocate (its handle arrives at
     * run time); the main subgraph's assignment does. Four frames with the condition changing.
     */
    static TflmCase variableThroughIf() {
        SplittableRandom r = new SplittableRandom(7);
        int[] shape = {5};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int cond = b.addTensor("cond", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int h = b.addTensor("h", DataType.RESOURCE, new int[] {}, null);
        int before = b.addTensor("before", DataType.FLOAT32, shape, null);
        int y = b.addTensor("y", DataType.FLOAT32, shape, null);
        SubgraphWriter then = b.addSubgraph("then"), otherwise = b.addSubgraph("else");
        b.addOperator("VAR_HANDLE", 1, new int[] {}, new int[] {h}, "VarHandleOptions", opts("container", "", "sharedName", "acc"));
        b.addOperator("READ_VARIABLE", 1, new int[] {h}, new int[] {before}, null, null);
        b.addOperator("IF", 1, new int[] {cond, h, x}, new int[] {y}, "IfOptions", ifOptions(then, otherwise));
        b.addOperator("ASSIGN_VARIABLE", 1, new int[] {h, y}, new int[] {}, null, null);
        int th = then.addTensor("h", DataType.RESOURCE, new int[] {}, null);
        int tx = then.addTensor("x", DataType.FLOAT32, shape, null);
        int tv = then.addTensor("v", DataType.FLOAT32, shape, null);
        int ts = then.addTensor("s", DataType.FLOAT32, shape, null);
        then.addOperator("READ_VARIABLE", 1, new int[] {th}, new int[] {tv}, null, null);
        then.addOperator("ADD", 1, new int[] {tv, tx}, new int[] {ts}, "AddOptions", opts("fusedActivationFunction", 0));
        then.setInputs(th, tx).setOutputs(ts);
        int eh = otherwise.addTensor("h", DataType.RESOURCE, new int[] {}, null);
        int ex = otherwise.addTensor("x", DataType.FLOAT32, shape, null);
        int es = otherwise.addTensor("s", DataType.FLOAT32, shape, null);
        otherwise.addOperator("MUL", 1, new int[] {ex, ex}, new int[] {es}, "MulOptions", opts("fusedActivationFunction", 0));
        otherwise.setInputs(eh, ex).setOutputs(es);
        b.setInputs(cond, x).setOutputs(before, y);
        return new TflmCase("variable_through_if", b.build(), List.of(
                run(4, bools(true, false, true, true), floats(r, 20))));
    }

    /** IF whose then and else are the same subgraph (planned twice, TFLM keeps the first creation and the last use). */
    static TflmCase ifSameBranch() {
        SplittableRandom r = new SplittableRandom(8);
        int[] shape = {2, 2};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int cond = b.addTensor("cond", DataType.BOOL, new int[] {1}, null);
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int a = b.addTensor("a", DataType.FLOAT32, shape, null);
        int y = b.addTensor("y", DataType.FLOAT32, shape, null);
        int z = b.addTensor("z", DataType.FLOAT32, shape, null);
        SubgraphWriter both = b.addSubgraph("both");
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {a}, "AddOptions", opts("fusedActivationFunction", 0));
        b.addOperator("IF", 1, new int[] {cond, a}, new int[] {y}, "IfOptions",
                opts("thenSubgraphIndex", both.index(), "elseSubgraphIndex", both.index()));
        b.addOperator("MUL", 1, new int[] {y, x}, new int[] {z}, "MulOptions", opts("fusedActivationFunction", 0));
        branch(both, "SUB", "SubOptions", DataType.FLOAT32, shape, null, floats(r, 4));
        b.setInputs(cond, x).setOutputs(z);
        return new TflmCase("if_same_branch", b.build(), List.of(run(1, bools(false), floats(r, 4))));
    }

    /** A main ADD and a second subgraph no operator runs (its tensors get no lifetime in TFLM's plan). */
    static TflmCase unreachableSubgraph() {
        SplittableRandom r = new SplittableRandom(9);
        int[] shape = {6};
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int x = b.addTensor("x", DataType.FLOAT32, shape, null);
        int y = b.addTensor("y", DataType.FLOAT32, shape, null);
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {y}, "AddOptions", opts("fusedActivationFunction", 0));
        SubgraphWriter unused = b.addSubgraph("unused");
        int ux = unused.addTensor("x", DataType.FLOAT32, new int[] {8}, null);
        int ua = unused.addTensor("a", DataType.FLOAT32, new int[] {8}, null);
        int uy = unused.addTensor("y", DataType.FLOAT32, new int[] {8}, null);
        unused.addOperator("ADD", 1, new int[] {ux, ux}, new int[] {ua}, "AddOptions", opts("fusedActivationFunction", 0));
        unused.addOperator("MUL", 1, new int[] {ua, ux}, new int[] {uy}, "MulOptions", opts("fusedActivationFunction", 0));
        unused.setInputs(ux).setOutputs(uy);
        b.setInputs(x).setOutputs(y);
        return new TflmCase("unreachable_subgraph", b.build(), List.of(run(1, floats(r, 6))));
    }

    // ---- pieces ----

    private static Map<String, Object> ifOptions(SubgraphWriter then, SubgraphWriter otherwise) {
        return opts("thenSubgraphIndex", then.index(), "elseSubgraphIndex", otherwise.index());
    }

    private static Map<String, Object> whileOptions(SubgraphWriter cond, SubgraphWriter body) {
        return opts("condSubgraphIndex", cond.index(), "bodySubgraphIndex", body.index());
    }

    /** A one-node branch y = OP(x, k) with k constant; {@code q} holds x, k and y's quantization (or null). */
    private static void branch(SubgraphWriter g, String op, String options, DataType type, int[] shape, Quantization[] q,
                               byte[] k) {
        int x = g.addTensor("x", type, shape, q == null ? null : q[0]);
        int kk = g.addConstant("k", type, shape, q == null ? null : q[1], k);
        int y = g.addTensor("y", type, shape, q == null ? null : q[2]);
        g.addOperator(op, 1, new int[] {x, kk}, new int[] {y}, options, opts("fusedActivationFunction", 0));
        g.setInputs(x).setOutputs(y);
    }

    /** A WHILE condition subgraph over (i int32[1], x): LESS(i, limit). */
    private static void condLess(SubgraphWriter g, DataType xType, int[] shape, Quantization qx, int limit) {
        int i = g.addTensor("i", DataType.INT32, new int[] {1}, null);
        int x = g.addTensor("x", xType, shape, qx);
        int l = g.addConstant("limit", DataType.INT32, new int[] {1}, null, ints(limit));
        int c = g.addTensor("c", DataType.BOOL, new int[] {1}, null);
        g.addOperator("LESS", 1, new int[] {i, l}, new int[] {c}, null, null);
        g.setInputs(i, x).setOutputs(c);
    }

    /** Options in the order given (Map.of's order changes between runs, and with it the model's bytes). */
    static Map<String, Object> opts(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    private static Quantization q(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    private static TflmCase.Run run(int frames, byte[]... inputs) { return new TflmCase.Run(frames, List.of(inputs)); }

    static byte[] floats(SplittableRandom r, int n) {
        byte[] b = new byte[4 * n];
        for (int i = 0; i < n; i++) LittleEndian.putFloat(b, 4 * i, (float) (r.nextDouble() * 4 - 2));
        return b;
    }

    static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(256);
        return b;
    }

    static byte[] ints(int... v) {
        byte[] b = new byte[4 * v.length];
        for (int i = 0; i < v.length; i++) LittleEndian.putInt(b, 4 * i, v[i]);
        return b;
    }

    static byte[] bools(boolean... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) (v[i] ? 1 : 0);
        return b;
    }

    /** The names of the models, in order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (TflmCase c : cases()) out.add(c.name());
        return out;
    }
}
