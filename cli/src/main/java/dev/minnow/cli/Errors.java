package dev.minnow.cli;

import dev.minnow.MinnowException;
import dev.minnow.conformance.CorpusException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Turns what a command throws into one line naming the problem and an exit code: {@link UserError} and unreadable
 * files exit 2, a model or check the engine rejects exits 1. A stack trace only with {@code --debug}, or for a bug.
 */
final class Errors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean debug = parsed.hasMatchedOption("--debug") || isDebug(parsed);
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        int code;
        String message;
        if (t instanceof UserError u) {
            code = u.exitCode();
            message = u.getMessage();
        } else if (t instanceof NoSuchFileException n) {
            code = Main.USAGE;
            message = n.getFile() + ": not found";
        } else if (t instanceof AccessDeniedException a) {
            code = Main.USAGE;
            message = a.getFile() + ": permission denied";
        } else if (t instanceof IOException io) {
            code = Main.USAGE;
            message = io.getMessage();
        } else if (t instanceof CorpusException c) {
            code = Main.USAGE;
            message = c.getMessage();
        } else if (t instanceof MinnowException m) {
            code = Main.FAILED;
            message = m.getMessage();
        } else {
            cl.getErr().println("minnow: internal error, please report it: " + t);
            t.printStackTrace(cl.getErr());
            return 70;
        }
        cl.getErr().println("minnow " + cl.getCommandName() + ": " + message);
        if (debug) t.printStackTrace(cl.getErr());
        return code;
    }

    private static boolean isDebug(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) return true;
        }
        return false;
    }
}
