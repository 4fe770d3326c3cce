package dev.minnow.runtime;

/**
 * The arithmetic one invoke of a node performs, for cost models: multiply-accumulates the reference kernel executes
 * (taps skipped at padded borders are not counted), and for other ops the element operations (one per output element,
 * or per input element for reductions).
 *
 * @param macs       multiply-accumulates
 * @param elementOps element operations of ops without multiply-accumulates
 */
public record WorkCount(long macs, long elementOps) {
    /** No work (data movement handled as element operations elsewhere, or an unknown custom op). */
    public static final WorkCount NONE = new WorkCount(0, 0);

    public WorkCount {
        if (macs < 0 || elementOps < 0) throw new IllegalArgumentException("negative work: " + macs + " MACs, " + elementOps + " element ops");
    }

    /** A node that performs {@code macs} multiply-accumulates. */
    public static WorkCount macs(long macs) { return new WorkCount(macs, 0); }

    /** A node that performs {@code n} element operations. */
    public static WorkCount elements(long n) { return new WorkCount(0, n); }

    /** The sum of two counts. */
    public WorkCount plus(WorkCount o) { return new WorkCount(macs + o.macs, elementOps + o.elementOps); }
}
