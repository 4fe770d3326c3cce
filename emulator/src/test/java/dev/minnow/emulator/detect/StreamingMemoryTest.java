package dev.minnow.emulator.detect;

import dev.minnow.emulator.board.BoardCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The detector streams: a CSV generated on the fly (never on disk, never in memory whole) runs through the whole
 * detect path while the heap in use stays flat. 64 MB on every build; 1 GB with {@code -Pstream-1g}.
 */
class StreamingMemoryTest {

    /** An endless-looking CSV of {@code bytes} bytes (whole lines): "t,a,b,label" rows, made as they are read. */
    static final class GeneratedCsv extends InputStream {
        private final long limit;
        private long produced;
        private long row;
        private byte[] line = "t,a,b,label\n".getBytes(StandardCharsets.US_ASCII);
        private int pos;

        GeneratedCsv(long bytes) { this.limit = bytes; }

        long rows() { return row; }

        @Override public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) {
            int n = 0;
            while (n < len) {
                if (pos == line.length) {
                    if (produced >= limit) break;
                    row++;
                    long t = row;
                    line = (t / 100 + "." + (t % 100 < 10 ? "0" : "") + t % 100 + "," + (t % 17) * 0.25 + "," + -((t * 7) % 23) * 0.5 + ","
                            + ((t / 5000) % 20 == 0 ? 1 : 0) + "\n").getBytes(StandardCharsets.US_ASCII);
                    pos = 0;
                }
                int k = Math.min(len - n, line.length - pos);
                System.arraycopy(line, pos, b, off + n, k);
                pos += k;
                n += k;
                produced += k;
            }
            return n == 0 ? -1 : n;
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    static void streamWithFlatHeap(long bytes) throws IOException {
        PipelineConfig cfg = new PipelineConfig(null, new PipelineConfig.Csv(null, "t", "label"), List.of("a", "b"),
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, new double[] {2, -5}, new double[] {1.2, 3.3}),
                new PipelineConfig.Window(8, 4096),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                0.5, null, null, null, null);
        GeneratedCsv csv = new GeneratedCsv(bytes);
        long[] heap = new long[2];
        long[] events = {0};
        long quarter = bytes / 4;
        try (DetectionPipeline p = DetectionPipeline.open(TestModels.scaledIdentity(16, 0.5f), cfg, BoardCatalog.builtin().get("nucleo-l4r5zi"))) {
            InputStream watched = new InputStream() {
                long seen;

                @Override public int read() throws IOException { return csv.read(); }

                @Override public int read(byte[] b, int off, int len) throws IOException {
                    int n = csv.read(b, off, len);
                    if (n > 0) {
                        long before = seen;
                        seen += n;
                        if (before < quarter && seen >= quarter) heap[0] = usedHeap();
                    }
                    return n;
                }
            };
            DetectionPipeline.Result r = p.detect(watched, "generated.csv", e -> events[0]++, true);
            heap[1] = usedHeap();
            assertEquals(csv.rows(), r.summary().rows());
            assertEquals(r.summary().anomalies(), events[0]);
            assertTrue(r.summary().evaluation().windows() > 0);
            assertEquals(100.0, r.summary().realTime().sampleRateHz(), 1e-6);
        }
        long growth = heap[1] - heap[0];
        assertTrue(growth < 16L << 20, String.format("heap grew by %,d bytes between a quarter of %,d bytes and the end", growth, bytes));
    }

    @Test
    void sixtyFourMegabytesWithFlatHeap() throws IOException {
        streamWithFlatHeap(64L << 20);
    }

    @Test
    @EnabledIfSystemProperty(named = "minnow.stream1g", matches = "true")
    void oneGigabyteWithFlatHeap() throws IOException {
        streamWithFlatHeap(1L << 30);
    }
}
