package dev.minnow.cli;

import picocli.CommandLine.Option;

/** The {@code --debug} option every command takes: stack traces of errors. */
final class DebugOption {
    @Option(names = "--debug", description = "show stack traces of errors")
    boolean debug;
}
