package dev.minnow.tflm;

import dev.minnow.testkit.ControlFlowModels;
import dev.minnow.testkit.CustomOpModels;
import dev.minnow.testkit.TflmCase;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The model suites compared with the real TFLM, by suite name. */
final class TflmSuites {
    private TflmSuites() {}

    static Map<String, List<TflmCase>> all() {
        Map<String, List<TflmCase>> m = new LinkedHashMap<>();
        m.put(ControlFlowModels.SUITE, ControlFlowModels.cases());
        m.put(CustomOpModels.SUITE, CustomOpModels.cases());
        return m;
    }
}
