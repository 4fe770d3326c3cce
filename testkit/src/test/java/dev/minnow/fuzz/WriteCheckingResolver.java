package dev.minnow.fuzz;

import dev.minnow.interpreter.OpResolver;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.OpCode;
import dev.minnow.ops.Ops;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.ResourceVariables;
import dev.minnow.runtime.ScratchBuffer;
import dev.minnow.runtime.SubgraphInvoker;
import dev.minnow.runtime.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The builtin op table with every kernel wrapped so that each eval is checked for writes outside what the node may
 * write: the arena is copied before the node runs and compared after; every changed byte must lie in one of the
 * node's output tensors, its variable inputs (state) or its scratch buffers. A stray byte is a {@link StrayWrite}.
 * Control-flow nodes run other subgraphs (whose nodes are checked themselves) and are not checked as a whole.
 */
final class WriteCheckingResolver implements OpResolver {
    private static final Set<String> UNCHECKED = Set.of("IF", "WHILE", "CALL_ONCE");

    /** A node changed a byte of the arena outside its outputs, state and scratch. */
    static final class StrayWrite extends RuntimeException {
        StrayWrite(String message) { super(message); }
    }

    private byte[] snapshot = new byte[0];

    @Override
    public OpDescriptor find(OpCode code) {
        OpDescriptor d = Ops.find(code);
        if (d == null || UNCHECKED.contains(code.displayName())) return d;
        return new OpDescriptor(d.name(), () -> checked(d.kernel().get()), d.footprint(), d.work(), d.callsLibm());
    }

    private OpKernel checked(OpKernel kernel) {
        return node -> {
            List<ScratchBuffer> scratch = new ArrayList<>();
            PreparedOp op = kernel.prepare(new Recording(node, scratch));
            List<Tensor> writable = new ArrayList<>();
            for (int i = 0; i < node.outputCount(); i++) writable.add(node.output(i));
            for (int i = 0; i < node.inputCount(); i++) {
                Tensor t = node.input(i);
                if (t != null && t.isVariable()) writable.add(t);
            }
            List<Tensor> inputs = new ArrayList<>();
            for (int i = 0; i < node.inputCount(); i++) if (node.input(i) != null) inputs.add(node.input(i));
            String name = node.opCode().displayName() + " (node " + node.nodeIndex() + " of subgraph " + node.subgraphIndex() + ")";
            return new PreparedOp() {
                @Override public void eval() {
                    byte[] arena = arenaOf(writable, inputs);
                    if (arena == null) { op.eval(); return; }
                    if (snapshot.length < arena.length) snapshot = new byte[arena.length];
                    System.arraycopy(arena, 0, snapshot, 0, arena.length);
                    op.eval();
                    for (int b = 0; b < arena.length; b++) {
                        if (arena[b] != snapshot[b] && !allowed(b, arena, writable, scratch)) {
                            throw new StrayWrite(name + " wrote arena byte " + b + " outside its outputs, state and scratch");
                        }
                    }
                }

                @Override public void reset() { op.reset(); }
            };
        };
    }

    private static byte[] arenaOf(List<Tensor> writable, List<Tensor> inputs) {
        // the arena is the one array shared by planned tensors; take the largest bound array among the node's tensors
        byte[] best = null;
        for (List<Tensor> l : List.of(writable, inputs)) {
            for (Tensor t : l) if (t.isBound() && !t.isConstant() && (best == null || t.array().length > best.length)) best = t.array();
        }
        return best;
    }

    private static boolean allowed(int b, byte[] arena, List<Tensor> writable, List<ScratchBuffer> scratch) {
        for (Tensor t : writable) if (t.array() == arena && b >= t.offset() && b < t.offset() + t.numBytes()) return true;
        for (ScratchBuffer s : scratch) if (s.array() == arena && b >= s.offset() && b < s.offset() + s.sizeBytes()) return true;
        return false;
    }

    /** The node as the kernel sees it, remembering the scratch buffers it takes. */
    private record Recording(NodeContext node, List<ScratchBuffer> scratch) implements NodeContext {
        @Override public int nodeIndex() { return node.nodeIndex(); }
        @Override public int subgraphIndex() { return node.subgraphIndex(); }
        @Override public OpCode opCode() { return node.opCode(); }
        @Override public BuiltinOptions options() { return node.options(); }
        @Override public byte[] customOptions() { return node.customOptions(); }
        @Override public int inputCount() { return node.inputCount(); }
        @Override public Tensor input(int i) { return node.input(i); }
        @Override public int outputCount() { return node.outputCount(); }
        @Override public Tensor output(int i) { return node.output(i); }
        @Override public int intermediateCount() { return node.intermediateCount(); }
        @Override public Tensor intermediate(int i) { return node.intermediate(i); }
        @Override public ScratchBuffer scratch(int k) {
            ScratchBuffer s = node.scratch(k);
            scratch.add(s);
            return s;
        }
        @Override public SubgraphInvoker subgraphs() { return node.subgraphs(); }
        @Override public ResourceVariables resourceVariables() { return node.resourceVariables(); }
        @Override public AtomicInteger interpreterCounter(String key) { return node.interpreterCounter(key); }
        @Override public void reserveHeap(long bytes, String what) { node.reserveHeap(bytes, what); }
    }
}
