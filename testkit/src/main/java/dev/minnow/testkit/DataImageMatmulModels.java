package dev.minnow.testkit;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.writer.ModelWriter;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java half of the cross-check for issue 12's data movement, image and matmul ops (SHAPE through BATCH_MATMUL):
 * single-op models built from a C-reference case. The roles TFLM needs constant (FILL dims, SPLIT_V axis,
 * BROADCAST_TO shape, the resize size, ...) become constants, every other input a runtime input, except
 * BATCH_MATMUL's rhs, constant when the case's attr {@code rhs_constant} is 1; options come from the attrs. Outputs
 * named {@code output0, output1, ...} (SPLIT_V) are concatenated in order, as the C reference prints them.
 */
public final class DataImageMatmulModels {
    private DataImageMatmulModels() {}

    /** The ops this class builds models for. */
    public static final Set<String> OPS = Set.of("SHAPE", "FILL", "ZEROS_LIKE", "SPLIT_V", "REVERSE_V2", "MIRROR_PAD",
            "BROADCAST_TO", "BROADCAST_ARGS", "SPACE_TO_DEPTH", "DEPTH_TO_SPACE", "SPACE_TO_BATCH_ND", "BATCH_TO_SPACE_ND",
            "GATHER_ND", "EMBEDDING_LOOKUP", "DYNAMIC_UPDATE_SLICE", "CUMSUM", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR",
            "BATCH_MATMUL");

    /** Input roles in TFLM's order, per op (the C reference names its tensors so). */
    public static final Map<String, String[]> ROLES = Map.ofEntries(
            Map.entry("SHAPE", new String[] {"input"}), Map.entry("FILL", new String[] {"dims", "value"}),
            Map.entry("ZEROS_LIKE", new String[] {"input"}), Map.entry("SPLIT_V", new String[] {"input", "size_splits", "axis"}),
            Map.entry("REVERSE_V2", new String[] {"input", "axis"}), Map.entry("MIRROR_PAD", new String[] {"input", "paddings"}),
            Map.entry("BROADCAST_TO", new String[] {"input", "shape"}), Map.entry("BROADCAST_ARGS", new String[] {"shape1", "shape2"}),
            Map.entry("SPACE_TO_DEPTH", new String[] {"input"}), Map.entry("DEPTH_TO_SPACE", new String[] {"input"}),
            Map.entry("SPACE_TO_BATCH_ND", new String[] {"input", "block_shape", "paddings"}),
            Map.entry("BATCH_TO_SPACE_ND", new String[] {"input", "block_shape", "crops"}),
            Map.entry("GATHER_ND", new String[] {"params", "indices"}), Map.entry("EMBEDDING_LOOKUP", new String[] {"ids", "table"}),
            Map.entry("DYNAMIC_UPDATE_SLICE", new String[] {"operand", "update", "start"}),
            Map.entry("CUMSUM", new String[] {"input", "axis"}), Map.entry("RESIZE_BILINEAR", new String[] {"input", "size"}),
            Map.entry("RESIZE_NEAREST_NEIGHBOR", new String[] {"input", "size"}), Map.entry("BATCH_MATMUL", new String[] {"lhs", "rhs"}));

    private static final Set<String> CONSTANT = Set.of("FILL.dims", "SPLIT_V.size_splits", "SPLIT_V.axis", "REVERSE_V2.axis",
            "MIRROR_PAD.paddings", "BROADCAST_TO.shape", "SPACE_TO_BATCH_ND.block_shape", "SPACE_TO_BATCH_ND.paddings",
            "BATCH_TO_SPACE_ND.block_shape", "BATCH_TO_SPACE_ND.crops", "EMBEDDING_LOOKUP.table", "CUMSUM.axis",
            "RESIZE_BILINEAR.size", "RESIZE_NEAREST_NEIGHBOR.size");

    /** Whether this class builds the op's models. */
    public static boolean handles(String op) { return OPS.contains(op); }

    /** Runs the case through the engine; the outputs' bytes, concatenated. */
    public static byte[] runJava(CReference.Case c) {
        ModelWriter b = new ModelWriter();
        List<Integer> in = new ArrayList<>(), out = new ArrayList<>(), inputs = new ArrayList<>();
        List<byte[]> inputData = new ArrayList<>();
        boolean rhsConstant = c.attrs().getOrDefault("rhs_constant", 0.0) != 0;
        for (CReference.TensorSpec t : c.tensors()) {
            if (t.type() == null) { in.add(-1); continue; }
            if (t.name().matches("output\\d*")) {
                out.add(b.addTensor(t.name(), t.type(), t.shape(), t.quantization()));
            } else if (CONSTANT.contains(c.op() + "." + t.name()) || (rhsConstant && t.name().equals("rhs"))) {
                in.add(b.addConstant(t.name(), t.type(), t.shape(), t.quantization(), t.data()));
            } else {
                int index = b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
                in.add(index);
                inputs.add(index);
                inputData.add(t.data());
            }
        }
        Map<String, Object> options = new LinkedHashMap<>();
        String optionsType = options(c, out.size(), options);
        int[] outs = out.stream().mapToInt(Integer::intValue).toArray();
        b.addOperator(c.op(), 1, in.stream().mapToInt(Integer::intValue).toArray(), outs, optionsType, options);
        b.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(outs);
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        for (int k = 0; k < inputData.size(); k++) interp.getInputTensor(k).copyFrom(inputData.get(k));
        interp.invoke();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int k = 0; k < outs.length; k++) bytes.writeBytes(interp.getOutputTensor(k).toByteArray());
        return bytes.toByteArray();
    }

    /** Fills the op's schema options from the case's attrs; returns the options table name, or null for none. */
    private static String options(CReference.Case c, int outputs, Map<String, Object> o) {
        Map<String, Double> a = c.attrs();
        switch (c.op()) {
            case "SHAPE" -> { o.put("outType", (int) DataType.INT32.code()); return "ShapeOptions"; }
            case "SPLIT_V" -> { o.put("numSplits", outputs); return "SplitVOptions"; }
            case "MIRROR_PAD" -> { o.put("mode", a.getOrDefault("mode", 0.0).intValue()); return "MirrorPadOptions"; }
            case "SPACE_TO_DEPTH", "DEPTH_TO_SPACE" -> {
                o.put("blockSize", a.getOrDefault("block_size", 0.0).intValue());
                return c.op().equals("SPACE_TO_DEPTH") ? "SpaceToDepthOptions" : "DepthToSpaceOptions";
            }
            case "CUMSUM" -> {
                o.put("exclusive", a.getOrDefault("exclusive", 0.0) != 0);
                o.put("reverse", a.getOrDefault("reverse", 0.0) != 0);
                return "CumsumOptions";
            }
            case "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR" -> {
                o.put("alignCorners", a.getOrDefault("align_corners", 0.0) != 0);
                o.put("halfPixelCenters", a.getOrDefault("half_pixel_centers", 0.0) != 0);
                return c.op().equals("RESIZE_BILINEAR") ? "ResizeBilinearOptions" : "ResizeNearestNeighborOptions";
            }
            case "BATCH_MATMUL" -> {
                o.put("adjX", a.getOrDefault("adj_x", 0.0) != 0);
                o.put("adjY", a.getOrDefault("adj_y", 0.0) != 0);
                return "BatchMatMulOptions";
            }
            default -> { return null; }
        }
    }

    /** The C reference's attrs for a model's node of one of {@link #OPS} (the corpus cross-check reads them so). */
    public static Map<String, Double> attrs(String op, OperatorInfo node) {
        Map<String, Double> a = new LinkedHashMap<>();
        var o = node.options();
        switch (op) {
            // TFLM maps only REFLECT to the reflect offset; an absent table leaves the mode unknown, i.e. symmetric
            case "MIRROR_PAD" -> a.put("mode", o.isPresent() && o.getInt("mode", 0) == 0 ? 0.0 : 1.0);
            case "SPACE_TO_DEPTH", "DEPTH_TO_SPACE" -> a.put("block_size", (double) o.getInt("blockSize", 0));
            case "CUMSUM" -> {
                a.put("exclusive", o.getBool("exclusive", false) ? 1.0 : 0.0);
                a.put("reverse", o.getBool("reverse", false) ? 1.0 : 0.0);
            }
            case "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR" -> {
                a.put("align_corners", o.getBool("alignCorners", false) ? 1.0 : 0.0);
                a.put("half_pixel_centers", o.getBool("halfPixelCenters", false) ? 1.0 : 0.0);
            }
            case "BATCH_MATMUL" -> {
                a.put("adj_x", o.getBool("adjX", false) ? 1.0 : 0.0);
                a.put("adj_y", o.getBool("adjY", false) ? 1.0 : 0.0);
            }
            default -> { }
        }
        return a;
    }
}
