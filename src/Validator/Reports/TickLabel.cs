using System.Globalization;

namespace PortSelection.Validator.Reports;

/// <summary>Invariant-culture number formatting for tick labels and SVG coordinates.</summary>
public static class TickLabel
{
    private static readonly (double Factor, string Suffix)[] Si = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")];

    /// <summary>Formats tick value <paramref name="value"/> of an axis whose tick spacing is
    /// <paramref name="step"/>, with just enough decimals to tell ticks apart (at most 6), and with an SI
    /// suffix when <paramref name="si"/> and |value| ≥ 1000 (28000 → "28k", 1500 → "1.5k"). Values below
    /// 0.001 in magnitude use a short exponent form (1E-08 → "1e-8", 0.00025 → "2.5e-4").</summary>
    public static string Format(double value, double step, bool si = true)
    {
        if (!double.IsFinite(value)) return "";
        if (value != 0 && Math.Abs(value) < 1e-3) return Exponent(value);
        step = double.IsFinite(step) && step > 0 ? Math.Abs(step) : Math.Abs(value);
        var abs = Math.Abs(value);
        if (si)
        {
            foreach (var (factor, suffix) in Si)
            {
                if (abs >= factor)
                    return Plain(value / factor, step / factor) + suffix;
            }
        }
        return Plain(value, step);
    }

    private static string Exponent(double value)
    {
        var e = (int)Math.Floor(Math.Log10(Math.Abs(value)) + 1e-9);
        var m = Math.Round(value / Math.Pow(10, e), 1, MidpointRounding.AwayFromZero);
        if (Math.Abs(m) >= 10) { m /= 10; e++; }
        return m.ToString("0.#", CultureInfo.InvariantCulture) + "e" + e.ToString(CultureInfo.InvariantCulture);
    }

    private static string Plain(double value, double step)
    {
        var decimals = step > 0 && step < 1 ? (int)Math.Ceiling(-Math.Log10(step) - 1e-9) : 0;
        decimals = Math.Clamp(decimals, 0, 6);
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        var s = rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        if (s.Contains('.', StringComparison.Ordinal)) s = s.TrimEnd('0').TrimEnd('.');
        return s == "-0" ? "0" : s;
    }

    /// <summary>Formats an SVG coordinate: invariant culture, at most 2 decimals, no exponent.</summary>
    internal static string Coord(double v)
    {
        var r = Math.Round(v, 2, MidpointRounding.AwayFromZero);
        var s = r.ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }
}
