using System.Globalization;

namespace PortSelection.Model.Ports;

/// <summary>
/// The per-socket <c>IP_LOCAL_PORT_RANGE</c> option (IPPROTO_IP, optname 51): a u32 with the high bound in
/// bits 31..16 and the low bound in bits 15..0; 0 means unset.
/// </summary>
/// <remarks>
/// Added in 6.3 (91d0b78c5177, also 6.1.32+). Clamp rule of <c>inet_sk_get_local_port_range()</c>
/// (net/ipv4/inet_connection_sock.c): a half is used only if it lies inside the netns range (the high half is
/// compared against the already-updated low). Since 6.8 (207184853dbd) the function also reports
/// "per-socket range set" whenever the u32 is non-zero — even if both halves were ignored — and connect()
/// then scans with step 1. setsockopt returns EINVAL when both halves are non-zero and low &gt; high.
/// shared/kernel/port-selection.md §3.6–3.7.
/// </remarks>
/// <param name="Raw">The option value as stored by setsockopt.</param>
public readonly record struct PerSocketRange(uint Raw)
{
    /// <summary>Accepted syntax, quoted in error messages.</summary>
    public const string Syntax = "LO-HI (0-65535 each, LO <= HI unless one is 0) or the raw u32 option value such as 0xFFFF0000";

    /// <summary>The unset option.</summary>
    public static readonly PerSocketRange Unset = new(0);

    /// <summary>True when the option is set (non-zero).</summary>
    public bool IsSet => Raw != 0;

    /// <summary>Low half (bits 15..0).</summary>
    public int Low => (int)(Raw & 0xFFFF);

    /// <summary>High half (bits 31..16).</summary>
    public int High => (int)(Raw >> 16);

    /// <summary>Builds the option from its halves.</summary>
    public static PerSocketRange FromBounds(int low, int high) => new(((uint)(ushort)high << 16) | (ushort)low);

    /// <summary>Parses "LO-HI" or a raw u32 (decimal or 0x hex); false with a one-line reason (setsockopt's EINVAL rule included).</summary>
    public static bool TryParse(string? text, out PerSocketRange value, out string? error)
    {
        value = Unset;
        error = null;
        var s = (text ?? "").Trim();
        if (s.Contains('-'))
        {
            var parts = s.Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int hi) || lo > 65535 || hi > 65535)
            {
                error = $"'{text}' is not a per-socket range; expected {Syntax}";
                return false;
            }
            value = FromBounds(lo, hi);
        }
        else
        {
            bool ok = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var raw)
                : uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out raw);
            if (!ok)
            {
                error = $"'{text}' is not a per-socket range; expected {Syntax}";
                return false;
            }
            value = new PerSocketRange(raw);
        }
        if (value.Low != 0 && value.High != 0 && value.Low > value.High)
        {
            error = $"per-socket range '{text}' has LO > HI (setsockopt returns EINVAL); expected {Syntax}";
            value = Unset;
            return false;
        }
        return true;
    }

    /// <summary>
    /// The range a socket scans: the netns range clamped by this option, and whether the option counts as set
    /// (<c>inet_sk_get_local_port_range</c>).
    /// </summary>
    /// <param name="netns">The namespace's <c>ip_local_port_range</c>.</param>
    public (PortRange Range, bool LocalPorts) Clamp(PortRange netns)
    {
        if (!IsSet) return (netns, false);
        int lo = netns.Low, hi = netns.High;
        if (lo <= Low && Low <= hi) lo = Low;
        if (lo <= High && High <= hi) hi = High;
        return (new PortRange(lo, hi), true);
    }

    /// <inheritdoc />
    public override string ToString() => IsSet ? $"{Low}-{High} (0x{Raw:X8})" : "unset";
}
