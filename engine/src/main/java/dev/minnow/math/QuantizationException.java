package dev.minnow.math;

import dev.minnow.MinnowException;

/** A quantization parameter cannot be represented (zero or negative scale where TFLM requires a positive one, ...). */
public final class QuantizationException extends MinnowException {
    public QuantizationException(String message) { super(message); }
}
