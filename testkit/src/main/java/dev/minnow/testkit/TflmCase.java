package dev.minnow.testkit;

import java.util.List;

/**
 * A model minnow's tests build and compare with the real TFLM (recorded by {@code TflmRecorder}): its bytes and the
 * runs to make, each on a fresh interpreter over {@code frames} invokes with state carried between them.
 *
 * @param name  a stable name (the key of its recorded results)
 * @param model the .tflite bytes
 * @param runs  the runs
 */
public record TflmCase(String name, byte[] model, List<Run> runs) {
    /**
     * One run: {@code inputs[k]} holds the bytes of input k for every frame, concatenated (tflm_run's {@code --seq}
     * layout).
     */
    public record Run(int frames, List<byte[]> inputs) {
        public Run {
            inputs = List.copyOf(inputs);
        }
    }

    public TflmCase {
        model = model.clone();
        runs = List.copyOf(runs);
    }

    @Override public byte[] model() { return model.clone(); }
}
