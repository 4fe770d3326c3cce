package dev.minnow.emulator.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.minnow.emulator.Json;

/**
 * A window whose score exceeded the threshold: where it ended (row and, with a time column, the time as written),
 * its score and the threshold. One JSON line each.
 *
 * @param row       1-based data row (not counting the header) of the window's last sample
 * @param line      1-based line of that row in the file
 * @param time      the time column's text at that row, null without a time column
 * @param window    1-based index of the window
 * @param score     the window's score
 * @param threshold the threshold it exceeded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DetectionEvent(long row, long line, String time, long window, double score, double threshold) {
    /** The event as one line of JSON. */
    public String toJsonLine() { return Json.line(this); }
}
