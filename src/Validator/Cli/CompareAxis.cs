using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Simulation;

namespace PortSelection.Validator.Cli;

/// <summary><c>--compare KEY=V1,V2,…</c>: one dimension of a what-if, each value a variant of the base workload.</summary>
internal static class CompareAxis
{
    /// <summary>Accepted keys, quoted in error messages.</summary>
    public const string Syntax =
        "KEY=V1,V2[,…] with KEY one of: range (LOW-HIGH), kernel (release), destinations (count), step1 (off|on: IP_LOCAL_PORT_RANGE 0xFFFF0000), " +
        "rate (conn/s), tw_reuse (0|1|2), close (client|server); e.g. --compare range=32768-60999,1024-65535";

    /// <summary>Parses the option into (label, transform) pairs.</summary>
    /// <exception cref="UsageException">Bad syntax, key or value.</exception>
    public static List<(string Name, Func<WorkloadSpec, WorkloadSpec> Apply)> Parse(string text)
    {
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0 || eq == text.Length - 1) throw new UsageException($"--compare '{text}': expected {Syntax}");
        var key = text[..eq].Trim().ToLowerInvariant().Replace('-', '_');
        var values = text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (values.Any(v => v.Length == 0)) throw new UsageException($"--compare '{text}': empty value; expected {Syntax}");
        if (values.Length > 6) throw new UsageException($"--compare '{text}': at most 6 values");
        return values.Select(v => (Name: $"{key}={v}", Apply: Value(key, v, text))).ToList();
    }

    private static Func<WorkloadSpec, WorkloadSpec> Value(string key, string v, string text)
    {
        switch (key)
        {
            case "range":
                var range = Parsing.Range("--compare range", v);
                return s => s with { Namespace = s.Namespace with { Range = range } };
            case "kernel":
                if (!KernelProfile.TryFromRelease(v, out var p, out var err)) throw new UsageException($"--compare kernel: {err}");
                return s => s with { Kernel = p! };
            case "destinations":
                int k = (int)Parsing.Number("--compare destinations", v, 256);
                if (k < 1) throw new UsageException("--compare destinations: at least 1");
                return s => s with { Destinations = WhatifDefaults.Destinations(k) };
            case "step1":
                bool on = v.ToLowerInvariant() switch
                {
                    "on" or "1" or "true" or "yes" => true,
                    "off" or "0" or "false" or "no" => false,
                    _ => throw new UsageException($"--compare step1: '{v}' is not on/off"),
                };
                return s => s with { PerSocketRange = on ? new PerSocketRange(0xFFFF0000) : PerSocketRange.Unset };
            case "rate":
                if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double rate) || !(rate > 0) || rate > 1e6)
                    throw new UsageException($"--compare rate: '{v}' is not a rate in (0, 1e6] conn/s");
                return s => s with { Arrivals = s.Arrivals with { RatePerSecond = rate } };
            case "tw_reuse":
                int tw = (int)Parsing.Number("--compare tw_reuse", v, 2);
                return s => s with { Namespace = s.Namespace with { TcpTwReuse = tw } };
            case "close":
                var side = v.ToLowerInvariant() switch
                {
                    "client" => CloseSide.Client,
                    "server" => CloseSide.Server,
                    _ => throw new UsageException($"--compare close: '{v}' is not client/server"),
                };
                return s => s with { Close = side };
            default:
                throw new UsageException($"--compare '{text}': unknown key '{key}'; expected {Syntax}");
        }
    }
}
