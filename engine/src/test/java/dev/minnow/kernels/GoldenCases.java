package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.Model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs golden-vector cases of the conformance corpus (see shared/conformance/FORMAT.md): every set on a fresh
 * interpreter, every sequence on one interpreter invoked frame by frame. Returns null on success or a reason.
 */
final class GoldenCases {
    private GoldenCases() {}

    static Path corpus() {
        String p = System.getProperty("minnow.conformance");
        Path dir = p == null || p.isBlank() ? Path.of("/work/shared/conformance") : Path.of(p);
        return Files.isDirectory(dir) ? dir : null;
    }

    static List<Path> cases(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(c -> Files.isRegularFile(c.resolve("model.tflite"))).sorted().toList();
        }
    }

    static String run(Path dir) { return run(dir, null); }

    /** As {@link #run(Path)}, with an optional op resolver (null: every builtin). */
    static String run(Path dir, dev.minnow.interpreter.OpResolver resolver) {
        try {
            String json = Files.readString(dir.resolve("case.json"));
            boolean expectError = json.matches("(?s).*\"expect\"\\s*:\\s*\"error\".*");
            Model model = Model.load(dir.resolve("model.tflite"));
            if (expectError) {
                try {
                    Interpreter it = interpreter(model, resolver);
                    it.allocateTensors();
                    return "expected an error, but allocateTensors succeeded";
                } catch (RuntimeException e) {
                    return null;
                }
            }
            for (Path set : subdirs(dir, "set_")) {
                Interpreter it = interpreter(model, resolver);
                it.allocateTensors();
                for (int k = 0; k < it.getInputTensorCount(); k++) {
                    it.getInputTensor(k).copyFrom(Files.readAllBytes(set.resolve("input_" + k + ".bin")));
                }
                it.invoke();
                for (int k = 0; k < it.getOutputTensorCount(); k++) {
                    byte[] want = Files.readAllBytes(set.resolve("output_" + k + ".bin"));
                    byte[] got = it.getOutputTensor(k).toByteArray();
                    if (!Arrays.equals(want, got)) return set.getFileName() + " output " + k + ": " + diff(want, got);
                }
            }
            for (Path seq : subdirs(dir, "seq_")) {
                Interpreter it = interpreter(model, resolver);
                it.allocateTensors();
                int inBytes = it.getInputTensor(0).numBytes();
                byte[] in0 = Files.readAllBytes(seq.resolve("input_0.bin"));
                int frames = in0.length / inBytes;
                List<byte[]> ins = new ArrayList<>();
                for (int k = 0; k < it.getInputTensorCount(); k++) ins.add(Files.readAllBytes(seq.resolve("input_" + k + ".bin")));
                List<byte[]> outs = new ArrayList<>();
                for (int k = 0; k < it.getOutputTensorCount(); k++) outs.add(Files.readAllBytes(seq.resolve("output_" + k + ".bin")));
                for (int f = 0; f < frames; f++) {
                    for (int k = 0; k < ins.size(); k++) {
                        int n = it.getInputTensor(k).numBytes();
                        it.getInputTensor(k).copyFrom(Arrays.copyOfRange(ins.get(k), f * n, (f + 1) * n));
                    }
                    it.invoke();
                    for (int k = 0; k < outs.size(); k++) {
                        int n = it.getOutputTensor(k).numBytes();
                        byte[] want = Arrays.copyOfRange(outs.get(k), f * n, (f + 1) * n);
                        byte[] got = it.getOutputTensor(k).toByteArray();
                        if (!Arrays.equals(want, got)) return seq.getFileName() + " frame " + f + " output " + k + ": " + diff(want, got);
                    }
                }
            }
            return null;
        } catch (Exception | AssertionError e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static Interpreter interpreter(Model model, dev.minnow.interpreter.OpResolver resolver) {
        return resolver == null ? new Interpreter(model)
                : new Interpreter(model, new dev.minnow.interpreter.InterpreterOptions().setOpResolver(resolver));
    }

    private static List<Path> subdirs(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).sorted().toList();
        }
    }

    private static String diff(byte[] want, byte[] got) {
        if (want.length != got.length) return "length " + got.length + " != " + want.length;
        int n = 0, first = -1;
        for (int i = 0; i < want.length; i++) if (want[i] != got[i]) { n++; if (first < 0) first = i; }
        return n + " bytes differ, first at " + first + " (want " + want[first] + ", got " + got[first] + ")";
    }
}
