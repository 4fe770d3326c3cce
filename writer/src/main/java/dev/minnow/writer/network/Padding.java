package dev.minnow.writer.network;

/** Keras's convolution padding: {@code "same"} or {@code "valid"}. */
public enum Padding { SAME, VALID }
