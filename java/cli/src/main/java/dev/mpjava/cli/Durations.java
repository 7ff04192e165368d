package dev.mpjava.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --timeout} values: a number with ms, s or m (seconds without a unit), or ISO-8601 (PT5S). */
final class Durations implements ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    @Override
    public Duration convert(String value) {
        Matcher m = SIMPLE.matcher(value.trim());
        Duration d;
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            double millis = amount * (unit.equals("ms") ? 1 : unit.equals("s") ? 1_000 : 60_000);
            d = Duration.ofNanos((long) (millis * 1_000_000));
        } else {
            try {
                d = Duration.parse(value.trim());
            } catch (RuntimeException e) {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 5s, 1m)");
            }
        }
        if (d.isZero() || d.isNegative()) throw new TypeConversionException("'" + value + "' is not a positive duration");
        return d;
    }

    /** A duration as the user would write it. */
    static String format(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
