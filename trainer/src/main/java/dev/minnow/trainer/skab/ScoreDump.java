package dev.minnow.trainer.skab;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Stores a run's per-file scores so limits and row rules can be explored later without retraining (experiments). */
final class ScoreDump {
    private ScoreDump() {}

    static void write(Path file, SkabProtocol.Result r) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(r.files().size());
            out.writeDouble(r.seconds());
            for (SkabProtocol.FileResult f : r.files()) {
                out.writeUTF(f.name());
                out.writeUTF(f.detail());
                out.writeDouble(f.seconds());
                write(out, f.trainScores());
                write(out, f.scores());
            }
        }
    }

    private static void write(DataOutputStream out, double[] v) throws IOException {
        out.writeInt(v.length);
        for (double d : v) out.writeDouble(d);
    }

    static SkabProtocol.Result read(Path file, List<SkabFile> files, SkabProtocol protocol) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            double seconds = in.readDouble();
            if (n != files.size()) throw new IllegalArgumentException(file + " holds " + n + " files, the data has " + files.size());
            List<SkabProtocol.FileResult> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                String detail = in.readUTF();
                double s = in.readDouble();
                double[] train = read(in);
                double[] scores = read(in);
                if (!name.equals(files.get(i).name())) throw new IllegalArgumentException(file + ": file " + i + " is " + name + ", not " + files.get(i).name());
                out.add(protocol.judge(files.get(i), train, scores, s, detail));
            }
            BinaryScore test = BinaryScore.EMPTY;
            BinaryScore whole = BinaryScore.EMPTY;
            for (SkabProtocol.FileResult f : out) {
                test = test.plus(f.test());
                whole = whole.plus(f.whole());
            }
            return new SkabProtocol.Result(out, test, whole, seconds);
        }
    }

    private static double[] read(DataInputStream in) throws IOException {
        double[] v = new double[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
        return v;
    }
}
