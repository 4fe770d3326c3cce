package dev.minnow.cli;

/** A problem with what the user gave (a path, a value, a file's content), reported as one line with an exit code. */
final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** Exit 2: bad usage or unreadable input. */
    static UserError usage(String message) { return new UserError(Main.USAGE, message); }

    /** Exit 1: the model or the check failed. */
    static UserError failed(String message) { return new UserError(Main.FAILED, message); }

    int exitCode() { return exitCode; }
}
