package dev.minnow.emulator.detect;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Reads a time column value as seconds: a plain number is seconds already; otherwise an ISO-8601 date-time
 * ("2020-03-09 10:14:33", "2020-03-09T10:14:33.250", with or without an offset; no offset means UTC) becomes
 * seconds since the epoch.
 */
final class TimeParser {
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private TimeParser() {}

    /** The value in seconds, or NaN when it is neither a number nor a date-time. */
    static double seconds(String text) {
        String t = text.trim();
        if (t.isEmpty()) return Double.NaN;
        char c = t.charAt(0);
        if ((c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') && t.indexOf(':') < 0
                && (t.length() < 10 || t.charAt(4) != '-')) {
            try {
                double v = Double.parseDouble(t);
                return Double.isFinite(v) ? v : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        try {
            LocalDateTime ldt = LocalDateTime.parse(t, LOCAL);
            return ldt.toEpochSecond(ZoneOffset.UTC) + ldt.getNano() / 1e9;
        } catch (DateTimeParseException e) {
            try {
                OffsetDateTime odt = OffsetDateTime.parse(t);
                return odt.toEpochSecond() + odt.getNano() / 1e9;
            } catch (DateTimeParseException e2) {
                return Double.NaN;
            }
        }
    }
}
