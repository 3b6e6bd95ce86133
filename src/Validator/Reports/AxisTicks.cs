namespace PortSelection.Validator.Reports;

/// <summary>The resolved range and ticks of an axis.</summary>
/// <param name="Min">Lower end of the drawn range.</param>
/// <param name="Max">Upper end of the drawn range (always greater than <paramref name="Min"/>).</param>
/// <param name="Scale">Scale of the axis.</param>
/// <param name="Major">Labelled tick values, ascending, within [Min, Max].</param>
/// <param name="Minor">Unlabelled tick values (log axes: 2..9 × each decade), ascending.</param>
/// <param name="Step">Major tick spacing (linear) or the decade step factor (log).</param>
public sealed record AxisTicks(double Min, double Max, AxisScale Scale, IReadOnlyList<double> Major, IReadOnlyList<double> Minor, double Step)
{
    /// <summary>Default number of major ticks aimed at on a linear axis.</summary>
    public const int TargetTicks = 6;

    /// <summary>Resolves the range and ticks of <paramref name="axis"/> for the data values
    /// <paramref name="values"/>. Non-finite values are ignored, and non-positive ones on a log axis.
    /// Without data the range is [0, 1] (linear) or [1, 10] (log); equal values get a range around them.</summary>
    public static AxisTicks Compute(AxisSpec axis, IEnumerable<double> values, int targetTicks = TargetTicks)
    {
        ArgumentNullException.ThrowIfNull(values);
        targetTicks = Math.Max(2, targetTicks);
        return axis.Scale == AxisScale.Log10 ? ComputeLog(axis, values) : ComputeLinear(axis, values, targetTicks);
    }

    /// <summary>The 1-2-5 step nearest to <paramref name="raw"/> (Heckbert's rounding: mantissa below 1.5 → 1,
    /// below 3 → 2, below 7 → 5, else 10; e.g. 0.4 → 0.5, 1300 → 1000, 5646 → 5000).</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0) || !double.IsFinite(raw)) return 1;
        var exp = Math.Floor(Math.Log10(raw));
        var pow = Math.Pow(10, exp);
        var f = raw / pow;
        var nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
        return nf * pow;
    }

    private static AxisTicks ComputeLinear(AxisSpec axis, IEnumerable<double> values, int target)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        if (lo > hi) { lo = 0; hi = 1; }
        var fixedMin = axis.Min is { } mn && double.IsFinite(mn);
        var fixedMax = axis.Max is { } mx && double.IsFinite(mx);
        if (fixedMin) lo = axis.Min!.Value;
        if (fixedMax) hi = axis.Max!.Value;
        if (hi < lo)
        {
            if (fixedMin && !fixedMax) hi = lo;
            else if (fixedMax && !fixedMin) lo = hi;
            else (lo, hi) = (hi, lo);
        }
        if (hi == lo)
        {
            // All values equal: 0 gets [0, 1]; anything else ±10 % around it.
            var pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            if (fixedMax && !fixedMin) lo -= pad;
            else
            {
                hi += pad;
                if (!fixedMin && lo != 0) lo -= pad;
            }
        }
        var step = NiceStep((hi - lo) / (target - 1));
        if (!fixedMin) lo = Math.Floor(lo / step + 1e-9) * step;
        if (!fixedMax) hi = Math.Ceiling(hi / step - 1e-9) * step;
        if (hi <= lo) hi = lo + step;
        var decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step)) + 2, 0, 15);
        var ticks = new List<double>();
        var k0 = Math.Ceiling(lo / step - 1e-9);
        for (var i = 0; i < 1000; i++)
        {
            var t = Math.Round((k0 + i) * step, decimals);
            if (t > hi + step * 1e-9) break;
            ticks.Add(t == 0 ? 0 : t);
        }
        return new AxisTicks(lo, hi, AxisScale.Linear, ticks, [], step);
    }

    private static AxisTicks ComputeLog(AxisSpec axis, IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!double.IsFinite(v) || v <= 0) continue;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        if (lo > hi) { lo = 1; hi = 10; }
        var fixedMin = axis.Min is { } mn && double.IsFinite(mn) && mn > 0;
        var fixedMax = axis.Max is { } mx && double.IsFinite(mx) && mx > 0;
        lo = fixedMin ? axis.Min!.Value : Math.Pow(10, Math.Floor(Math.Log10(lo) + 1e-9));
        hi = fixedMax ? axis.Max!.Value : Math.Pow(10, Math.Ceiling(Math.Log10(hi) - 1e-9));
        if (hi < lo) (lo, hi) = fixedMax && !fixedMin ? (hi / 10, hi) : (lo, lo * 10);
        if (hi <= lo) hi = lo * 10;
        var kLo = (int)Math.Ceiling(Math.Log10(lo) - 1e-9);
        var kHi = (int)Math.Floor(Math.Log10(hi) + 1e-9);
        var decades = kHi - kLo;
        var decStep = Math.Max(1, (int)Math.Ceiling(decades / 8.0));
        var major = new List<double>();
        for (var k = kLo; k <= kHi; k += decStep) major.Add(Pow10(k));
        var minor = new List<double>();
        var dLo = (int)Math.Floor(Math.Log10(lo) + 1e-9);
        if (decStep == 1)
        {
            for (var k = dLo; k <= kHi; k++)
            {
                for (var m = 2; m <= 9; m++)
                {
                    var t = m * Pow10(k);
                    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) minor.Add(t);
                }
            }
        }
        if (major.Count < 2)
        {
            // Less than a decade: label the 1..9 multiples too.
            major = major.Concat(minor).Order().ToList();
            minor = [];
        }
        return new AxisTicks(lo, hi, AxisScale.Log10, major, minor, Math.Pow(10, decStep));
    }

    private static double Pow10(int k) => k >= 0 ? Math.Pow(10, k) : 1.0 / Math.Pow(10, -k);

    /// <summary>Position of <paramref name="value"/> in [0, 1] along the axis, or NaN when it cannot be
    /// placed (non-finite, or non-positive on a log axis).</summary>
    public double Fraction(double value)
    {
        if (!double.IsFinite(value)) return double.NaN;
        if (Scale == AxisScale.Log10)
        {
            if (value <= 0) return double.NaN;
            return (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min));
        }
        return (value - Min) / (Max - Min);
    }

    /// <summary>The label of tick <paramref name="value"/>.</summary>
    public string Label(double value, bool si) =>
        TickLabel.Format(value, Scale == AxisScale.Log10 ? Math.Abs(value) : Step, si);
}
