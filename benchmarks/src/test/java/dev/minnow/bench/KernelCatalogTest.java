package dev.minnow.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run.sh --nodes}: a model's operators as kernels, each one cut out of the model as the kernel table does. */
class KernelCatalogTest {
    private static final Path CORPUS = Path.of(System.getProperty("minnow.conformance", "../../shared/conformance"));

    @Test
    void everyOperatorOfTheModelInGraphOrderWithItsOccurrence() throws Exception {
        List<KernelCatalog.KernelDef> nodes = KernelCatalog.nodesOf(CORPUS, Suite.caseDir(CORPUS, "conv_ae_i8"));
        assertEquals(List.of("QUANTIZE", "RESHAPE", "CONV_2D", "CONV_2D", "TRANSPOSE_CONV", "TRANSPOSE_CONV", "CONV_2D",
                "RESHAPE", "DEQUANTIZE"), nodes.stream().map(KernelCatalog.KernelDef::op).toList());
        assertEquals(List.of(0, 0, 0, 1, 0, 1, 2, 1, 0), nodes.stream().map(KernelCatalog.KernelDef::occurrence).toList());
        assertEquals("conv_ae_i8-n06-conv_2d", nodes.get(6).id());
        assertEquals("detectors/conv_ae_i8", nodes.get(6).caseDir());
        for (KernelCatalog.KernelDef d : nodes) {
            SingleOpModels.SingleOp op = SingleOpModels.slice(CORPUS.resolve(d.caseDir()).resolve("model.tflite"), d.op(), d.occurrence(), d.id());
            assertEquals(d.op(), op.op());
            EngineRun.open(op.model(), op.inputs()).runOnce();   // each cut-out node runs on its own
        }
    }

    @Test
    void aModelIdIsFoundInEitherFolderAndAnUnknownOneListsTheIds() throws Exception {
        assertEquals("models/mlperftiny-kws_ref_model", Suite.caseDir(CORPUS, "mlperftiny-kws_ref_model"));
        assertEquals("detectors/conv_ae_i8", Suite.caseDir(CORPUS, "detectors/conv_ae_i8"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Suite.caseDir(CORPUS, "no_such_model"));
        assertTrue(e.getMessage().contains("no_such_model") && e.getMessage().contains("conv_ae_i8"), e.getMessage());
    }
}
