package dev.minnow.interpreter;

import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.CustomOpModels;
import dev.minnow.testkit.TflmCase;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The custom ops TFLM ships (CustomOpModels) only move data in invoke: no allocation once warmed up. */
class CustomOpsInvokeAllocationTest {
    @Test
    void invokeAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (TflmCase c : CustomOpModels.cases()) {
            Interpreter it;
            try {
                it = new Interpreter(Model.load(c.model()));
                it.allocateTensors();
            } catch (RuntimeException refused) {
                continue;   // the lengths TFLM crashes on
            }
            for (int k = 0; k < it.getInputTensorCount(); k++) {
                Tensor t = it.getInputTensor(k);
                t.copyFrom(Arrays.copyOf(c.runs().get(0).inputs().get(k), t.numBytes()));
            }
            int quiet = 0;
            long last = -1;
            for (int round = 0; round < 40 && quiet < 3; round++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 10; i++) {
                    try {
                        it.invoke();
                    } catch (RuntimeException invalidBox) {
                        // detection_invalid_box fails every invoke; the failure path may allocate its message
                        quiet = 3;
                        last = 0;
                        break;
                    }
                }
                if (quiet == 3) break;
                last = threads.getThreadAllocatedBytes(id) - before;
                quiet = last == 0 ? quiet + 1 : 0;
            }
            assertEquals(0, last, c.name() + ": 10 invokes still allocated " + last + " bytes after warm-up");
        }
    }
}
