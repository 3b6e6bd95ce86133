namespace PortSelection.Model.Kernel;

/// <summary>How <c>secure_ipv4_port_ephemeral()</c> (net/core/secure_seq.c) derives <c>port_offset</c>.</summary>
/// <remarks>shared/kernel/port-selection.md §4.1.</remarks>
public enum PortOffsetAlgorithm
{
    /// <summary>≤3.0: half-MD4 transform keyed by a boot secret, u32 (not reproducible bit-exactly here; offset must be given).</summary>
    HalfMd4,
    /// <summary>3.1–4.10 (6e5714eaf77d): MD5 transform over a 16-word secret block, u32.</summary>
    Md5,
    /// <summary>4.11–5.17 (7cd23e5300c1): <c>siphash_3u32(saddr, daddr, dport, net_secret)</c> truncated to u32.</summary>
    SipHash32,
    /// <summary>5.18+ and 2022 stable (b2d057560b81, 4dfa9b438ee3): <c>siphash_4u32(saddr, daddr, dport, timeseed, net_secret)</c>, u64.</summary>
    SipHash64WithTimeSeed,
}
