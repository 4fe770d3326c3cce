package dev.minnow.emulator.detect;

/**
 * Decimal text to double, correctly rounded, fast for the numbers sensors write; shared by the CSV reader and
 * stream processors reading the same samples as JSON, so both read a value to the same double.
 */
public final class Decimal {
    private Decimal() {}

    /**
     * Fast decimal parse of line[s..e): sign, digits, optional fraction and exponent with at most 18 significant
     * digits and a power of ten within 10^22, where one IEEE multiplication or division by an exact power of ten is
     * correctly rounded (Clinger's fast path); NaN for anything else, which the caller then hands to the JDK
     * ({@link Double#parseDouble}, equally correctly rounded). An empty range is NaN too.
     */
    public static double parse(char[] line, int s, int e) {
        int i = s;
        if (s >= e) return Double.NaN;
        boolean neg = false;
        if (line[i] == '-' || line[i] == '+') {
            neg = line[i] == '-';
            i++;
        }
        long mant = 0;
        int digits = 0, scale = 0;
        boolean any = false;
        while (i < e && line[i] >= '0' && line[i] <= '9') {
            if (digits < 18) {
                mant = mant * 10 + (line[i] - '0');
                if (mant != 0) digits++;
            } else {
                return Double.NaN;
            }
            any = true;
            i++;
        }
        if (i < e && line[i] == '.') {
            i++;
            while (i < e && line[i] >= '0' && line[i] <= '9') {
                if (digits < 18) {
                    mant = mant * 10 + (line[i] - '0');
                    if (mant != 0) digits++;
                    scale--;
                } else {
                    return Double.NaN;
                }
                any = true;
                i++;
            }
        }
        if (!any) return Double.NaN;
        if (i < e && (line[i] == 'e' || line[i] == 'E')) {
            i++;
            boolean eneg = false;
            if (i < e && (line[i] == '-' || line[i] == '+')) {
                eneg = line[i] == '-';
                i++;
            }
            int exp = 0, ed = 0;
            while (i < e && line[i] >= '0' && line[i] <= '9' && ed < 4) {
                exp = exp * 10 + (line[i] - '0');
                ed++;
                i++;
            }
            if (ed == 0) return Double.NaN;
            scale += eneg ? -exp : exp;
        }
        if (i != e || mant >= (1L << 53)) return Double.NaN;
        double v = mant;
        if (scale == 0) {
            // exact
        } else if (scale > 0 && scale <= 22) {
            v *= POW10[scale];
        } else if (scale < 0 && scale >= -22) {
            v /= POW10[-scale];
        } else {
            return Double.NaN;
        }
        return neg ? -v : v;
    }

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }
}
