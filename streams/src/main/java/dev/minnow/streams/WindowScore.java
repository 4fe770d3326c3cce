package dev.minnow.streams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * One scored window as the output topics carry it (JSON, keyed by device): the events topic gets those above the
 * threshold, the optional scores topic all of them. {@code row}, {@code time}, {@code window}, {@code score} and
 * {@code threshold} are those of the library's {@link dev.minnow.emulator.detect.DetectionEvent} for the device's
 * stream.
 *
 * @param device    the device (the record key)
 * @param row       1-based sample of the device's stream that completed the window
 * @param time      that sample's time as the record wrote it, absent without one
 * @param window    1-based window of the device
 * @param score     the window's score
 * @param threshold the device group's threshold
 * @param alarm     whether the score is above the threshold
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowScore(String device, long row, String time, long window, double score, double threshold, boolean alarm) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON bytes. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a window score", e);
        }
    }

    /** Reads the JSON bytes. */
    public static WindowScore parse(byte[] json) {
        try {
            return JSON.readValue(json, WindowScore.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a window score: " + e.getMessage(), e);
        }
    }
}
