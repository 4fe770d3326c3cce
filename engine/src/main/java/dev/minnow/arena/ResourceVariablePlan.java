package dev.minnow.arena;

import dev.minnow.model.BuiltinOperator;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * What TFLM's resource variables ({@code MicroResourceVariables}) hold in the arena for a model, replayed in
 * TFLM's prepare order (subgraph by subgraph, node by node):
 * <ul>
 *   <li>the variables object and its table of {@link #capacity()} entries, allocated right after the allocator when
 *       the model has VAR_HANDLE operators (minnow sizes the table to their number, as the corpus's TFLM runner
 *       does; a model without VAR_HANDLE gets no resource variables);</li>
 *   <li>each VAR_HANDLE's Prepare finds or creates its variable by (container, shared name) and points its output
 *       tensor at the id it keeps in its OpData, so that tensor is left out of the memory plan;</li>
 *   <li>the first ASSIGN_VARIABLE whose Prepare sees a variable's id (its handle tensor was pointed by an earlier
 *       VAR_HANDLE Prepare, or is a constant) allocates the variable's buffer, the size of its value tensor, while
 *       that value's temporary tensor is live; later assignments, and handles that only arrive at run time (through
 *       a subgraph input), allocate nothing.</li>
 * </ul>
 *
 * @param capacity          entries of the variables table (the number of VAR_HANDLE operators; 0 = no resource variables)
 * @param pointedElsewhere  global tensor indices (see {@link MemoryPlan#globalIndex}) of the handle tensors VAR_HANDLE points at its OpData
 * @param allocations       the variable buffers ASSIGN_VARIABLE Prepares allocate, in allocation order
 */
public record ResourceVariablePlan(int capacity, BitSet pointedElsewhere, List<BufferAllocation> allocations) {
    /** A variable buffer of {@code bytes} allocated by the Prepare of node {@code node} of subgraph {@code subgraph}. */
    public record BufferAllocation(int subgraph, int node, int variable, int bytes) {}

    /** No resource variables. */
    public static final ResourceVariablePlan NONE = new ResourceVariablePlan(0, new BitSet(), List.of());

    /** Copies the bit set and the list, so the plan cannot change after it is made. */
    public ResourceVariablePlan {
        pointedElsewhere = (BitSet) pointedElsewhere.clone();
        allocations = List.copyOf(allocations);
    }

    @Override public BitSet pointedElsewhere() { return (BitSet) pointedElsewhere.clone(); }

    /** Whether TFLM would build the model's interpreter with resource variables. */
    public boolean present() { return capacity > 0; }

    /** The buffer node {@code node} of subgraph {@code subgraph} allocates in Prepare, or null. */
    public BufferAllocation allocationAt(int subgraph, int node) {
        for (BufferAllocation a : allocations) if (a.subgraph == subgraph && a.node == node) return a;
        return null;
    }

    /** Replays VAR_HANDLE and ASSIGN_VARIABLE Prepares over {@code model}. */
    public static ResourceVariablePlan of(Model model) {
        int capacity = 0;
        for (SubgraphInfo g : model.subgraphs()) {
            for (OperatorInfo op : g.operators()) if (op.opCode().builtin() == BuiltinOperator.VAR_HANDLE) capacity++;
        }
        if (capacity == 0) return NONE;
        List<String[]> variables = new ArrayList<>();   // {container (nullable), shared name}
        List<Integer> bytes = new ArrayList<>();        // -1 until a buffer is allocated
        BitSet pointed = new BitSet();
        int[] handleId = new int[0];
        List<BufferAllocation> allocations = new ArrayList<>();
        int start = 0;
        for (SubgraphInfo g : model.subgraphs()) {
            int n = g.tensors().size();
            handleId = new int[n];
            java.util.Arrays.fill(handleId, -1);
            for (OperatorInfo op : g.operators()) {
                BuiltinOperator b = op.opCode().builtin();
                // an omitted (-1) handle or value is the kernel's to reject in prepare; the plan skips it
                if (b == BuiltinOperator.VAR_HANDLE && op.outputCount() > 0 && op.output(0) >= 0) {
                    Options.VarHandle o = Options.VarHandle.of(op.options());
                    int id = findOrCreate(variables, bytes, o.container(), o.sharedName());
                    handleId[op.output(0)] = id;
                    pointed.set(start + op.output(0));
                } else if (b == BuiltinOperator.ASSIGN_VARIABLE && op.inputCount() == 2 && op.outputCount() == 0
                        && op.input(0) >= 0 && op.input(1) >= 0) {
                    int id = idAtPrepare(g.tensor(op.input(0)), handleId[op.input(0)]);
                    if (id >= 0 && id < variables.size() && bytes.get(id) < 0) {
                        int size = (int) g.tensor(op.input(1)).byteSize();
                        bytes.set(id, size);
                        allocations.add(new BufferAllocation(g.index(), op.index(), id, size));
                    }
                }
            }
            start += n;
        }
        return new ResourceVariablePlan(capacity, pointed, allocations);
    }

    /** The id ASSIGN_VARIABLE's Prepare reads from its handle tensor: one VAR_HANDLE pointed it, or a constant. */
    private static int idAtPrepare(TensorInfo handle, int published) {
        if (published >= 0) return published;
        if (handle.isConstant() && handle.constantDataLength() >= 4) {
            return ByteBuffer.wrap(handle.constantData()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        }
        return -1;
    }

    /** MicroResourceVariables::CreateIdIfNoneFound: a null container matches any. */
    private static int findOrCreate(List<String[]> variables, List<Integer> bytes, String container, String sharedName) {
        if (sharedName == null) throw new ArenaPlanException("VAR_HANDLE without a shared_name: TFLM compares it with strcmp");
        for (int i = 0; i < variables.size(); i++) {
            String[] v = variables.get(i);
            if (container != null && v[0] == null) {
                throw new ArenaPlanException("VAR_HANDLE with container '" + container + "' meets variable '" + v[1]
                        + "' created without a container: TFLM compares them with strcmp");
            }
            if ((container == null || Objects.equals(container, v[0])) && sharedName.equals(v[1])) return i;
        }
        variables.add(new String[] {container, sharedName});
        bytes.add(-1);
        return variables.size() - 1;
    }
}
