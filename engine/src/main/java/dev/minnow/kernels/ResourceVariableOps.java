package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.ResourceVariables;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * TFLM's resource-variable ops (kernels/var_handle.cc, read_variable.cc, assign_variable.cc) over the interpreter's
 * {@link ResourceVariables}. A handle tensor carries a variable id as an int32.
 */
public final class ResourceVariableOps {
    private ResourceVariableOps() {}

    /**
     * VAR_HANDLE: finds or creates the variable named by its options (container, shared_name) in Prepare and writes
     * its id to output 0 on every eval. TFLM points the output at the id in its OpData, so the arena plan leaves that
     * tensor out.
     */
    public static final class VarHandle implements OpKernel {
        @Override
        public PreparedOp prepare(NodeContext node) {
            ResourceVariables resources = node.resourceVariables();
            node.require(resources != null, "needs resource variables, and the interpreter has none");
            node.require(node.outputCount() >= 1, "has no output to hold the variable's handle");
            Options.VarHandle o = Options.VarHandle.of(node.options());
            int id = resources.findOrCreate(o.container(), o.sharedName());
            node.require(id >= 0, "cannot create variable '%s': all %d resource variables are in use", o.sharedName(),
                    resources.capacity());
            Tensor out = node.output(0);
            resources.publishHandle(out, id);
            return () -> {
                if (out.numBytes() >= 4) LittleEndian.putInt(out.array(), out.offset(), id);
            };
        }

        /** TfLiteVarHandleParams (two string pointers); OpData: the int32 id. */
        public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
            return new NodeFootprint(2 * t.pointerSize(), t.pointerSize(), new int[] {4}, new int[0], new int[0], new int[0]);
        }
    }

    /** READ_VARIABLE: copies the variable its input handle names into output 0. */
    public static final class ReadVariable implements OpKernel {
        @Override
        public PreparedOp prepare(NodeContext node) {
            // TFLM only DCHECKs these (its debug build aborts).
            node.require(node.inputCount() == 1, "has %d inputs, expected 1 (the handle)", node.inputCount());
            node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
            Tensor handle = handle(node);
            node.require(handle.dataType() == DataType.RESOURCE, "handle %s must be a resource tensor", handle.describe());
            ResourceVariables resources = node.resourceVariables();
            node.require(resources != null, "needs resource variables, and the interpreter has none");
            Tensor out = node.output(0);
            return () -> resources.read(LittleEndian.getInt(handle.array(), handle.offset()), out);
        }
    }

    /**
     * ASSIGN_VARIABLE: copies input 1 into the variable input 0 names. Its Prepare allocates the variable's buffer when
     * it can see the id (a handle an earlier VAR_HANDLE Prepare published, or a constant); a handle that only arrives
     * at run time must name a variable some other assignment allocated.
     */
    public static final class AssignVariable implements OpKernel {
        @Override
        public PreparedOp prepare(NodeContext node) {
            node.require(node.inputCount() == 2, "has %d inputs, expected 2 (handle and value)", node.inputCount());
            node.require(node.outputCount() == 0, "has %d outputs, expected none", node.outputCount());
            Tensor handle = handle(node);
            node.require(handle.dataType() == DataType.RESOURCE || handle.dataType() == DataType.INT32,
                    "handle %s must be a resource or int32 tensor", handle.describe());
            Tensor value = node.input(1);
            node.require(value != null, "value (input 1) is omitted");
            ResourceVariables resources = node.resourceVariables();
            int id = resources == null ? -1 : resources.publishedHandle(handle);
            if (id < 0 && handle.isConstant()) id = LittleEndian.getInt(handle.array(), handle.offset());
            if (id >= 0 || handle.isConstant()) {
                node.require(resources != null, "needs resource variables, and the interpreter has none");
                resources.allocate(id, value);
            }
            node.require(resources != null, "needs resource variables, and the interpreter has none");
            return () -> resources.assign(LittleEndian.getInt(handle.array(), handle.offset()), value);
        }
    }

    /** Input 0, a one-element handle. */
    private static Tensor handle(NodeContext node) {
        Tensor handle = node.input(0);
        node.require(handle != null, "handle (input 0) is omitted");
        node.require(handle.numElements() == 1, "handle %s must have one element", handle.describe());
        return handle;
    }
}
