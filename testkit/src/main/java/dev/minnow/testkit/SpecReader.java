package dev.minnow.testkit;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one case back from the C reference's spec format (for replaying saved regressions). */
public final class SpecReader {
    private SpecReader() {}

    public static CReference.Case read(String text) {
        String name = null, op = null;
        Map<String, Double> attrs = new LinkedHashMap<>();
        List<CReference.TensorSpec> tensors = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "case" -> name = w[1];
                case "op" -> op = w[1];
                case "attr" -> attrs.put(w[1], Double.parseDouble(w[2]));
                case "tensor" -> tensors.add(tensor(w));
                default -> { }
            }
        }
        return new CReference.Case(name, op, attrs, tensors);
    }

    private static CReference.TensorSpec tensor(String[] w) {
        if (w[2].equals("none")) return new CReference.TensorSpec(w[1], null, new int[0], null, null);
        DataType type = DataType.valueOf(w[2].toUpperCase());
        List<Integer> shape = new ArrayList<>();
        List<Float> scales = new ArrayList<>();
        List<Long> zps = new ArrayList<>();
        int qdim = 0;
        byte[] data = null;
        String section = "";
        for (int i = 3; i < w.length; i++) {
            switch (w[i]) {
                case "shape", "scale", "zp", "qdim", "data" -> section = w[i];
                default -> {
                    switch (section) {
                        case "shape" -> shape.add(Integer.parseInt(w[i]));
                        case "scale" -> scales.add(Float.parseFloat(w[i]));
                        case "zp" -> zps.add(Long.parseLong(w[i]));
                        case "qdim" -> qdim = Integer.parseInt(w[i]);
                        default -> data = HexFormat.of().parseHex(w[i]);
                    }
                }
            }
        }
        Quantization q = null;
        if (!scales.isEmpty()) {
            float[] s = new float[scales.size()];
            for (int i = 0; i < s.length; i++) s[i] = scales.get(i);
            q = new Quantization(s, zps.stream().mapToLong(Long::longValue).toArray(), qdim);
        }
        return new CReference.TensorSpec(w[1], type, shape.stream().mapToInt(Integer::intValue).toArray(), q, data);
    }
}
