package dev.minnow.conformance;

/** A corpus that cannot be read: a missing directory, an unreadable or malformed case.json or index.json. */
public final class CorpusException extends RuntimeException {
    public CorpusException(String message) { super(message); }
}
