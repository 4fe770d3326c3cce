package dev.minnow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/**
 * The {@code minnow} command. Exit codes: 0 success, 1 the model or the check failed, 2 bad usage or unreadable
 * input. Errors name the file and the problem; {@code --debug} adds the stack trace.
 */
@Command(name = "minnow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A pure-Java TensorFlow Lite Micro engine: run models bit-exactly as TFLM does.",
        subcommands = {ConformCommand.class, ArenaCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the model or the check failed", "2:bad usage or unreadable input"})
public final class Main implements Runnable {
    /** Exit code: the model or the check failed. */
    public static final int FAILED = 1;
    /** Exit code: bad usage or unreadable input. */
    public static final int USAGE = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) { System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true))); }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("minnow: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        return cl.execute(args);
    }

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** The version from the build (minnow-version.properties). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("/minnow-version.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"minnow " + p.getProperty("version", "unknown") + " (TFLM reference kernels at "
                    + p.getProperty("tflm", "unknown") + ", Java " + System.getProperty("java.version") + ")"};
        }
    }
}
