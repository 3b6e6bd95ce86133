using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;

namespace PortSelection.Model.Selection;

/// <summary>
/// port_offset as the kernel computes it (<c>secure_ipv4_port_ephemeral</c>, net/core/secure_seq.c) for the
/// profile's era, from the boot secret and — era E (4dfa9b438ee3) — <c>timeseed = jiffies / (10·HZ)</c>, with
/// jiffies derived from the model clock: <c>jiffies = JiffiesAtZero + nowMs·HZ/1000</c>.
/// </summary>
public sealed class KernelPortOffset : IPortOffsetSource
{
    private readonly PortOffsetAlgorithm _algorithm;
    private readonly NetSecret _secret;

    /// <summary>Creates the source; false with a one-line reason when the era's hash cannot be computed (half-MD4 of ≤3.0) or the secret is of the wrong kind.</summary>
    public static bool TryCreate(KernelProfile profile, NetSecret secret, int hz, ulong jiffiesAtZero,
        out KernelPortOffset? source, out string? error)
    {
        source = null;
        error = null;
        if (profile.PortOffset == PortOffsetAlgorithm.HalfMd4) { error = Hashing.PortOffset.HalfMd4Unsupported; return false; }
        bool md5 = profile.PortOffset == PortOffsetAlgorithm.Md5;
        if (md5 && secret.Md5Words.IsDefaultOrEmpty || !md5 && secret.SipKey is null)
        {
            error = md5 ? $"kernel {profile.Version} hashes port_offset with MD5: give the 16-word net_secret, not a SipHash key"
                        : $"kernel {profile.Version} hashes port_offset with SipHash: give a 128-bit key (32 hex digits)";
            return false;
        }
        if (hz is < 1 or > 10000) { error = $"HZ {hz} outside 1..10000"; return false; }
        source = new KernelPortOffset(profile.PortOffset, secret, hz, jiffiesAtZero);
        return true;
    }

    /// <summary>
    /// A source with a secret drawn from <paramref name="draws"/> (a simulated boot). For ≤3.0 kernels, whose
    /// half-MD4 hash is not modelled bit-exactly, SipHash-2-4 truncated to u32 stands in: both are keyed
    /// pseudo-random functions of (saddr, daddr, dport), which is all the scan depends on.
    /// </summary>
    public static KernelPortOffset ForSimulation(KernelProfile profile, IRandomDraws draws, int hz = 250, ulong? jiffiesAtZero = null)
    {
        var alg = profile.PortOffset == PortOffsetAlgorithm.HalfMd4 ? PortOffsetAlgorithm.SipHash32 : profile.PortOffset;
        NetSecret secret;
        if (alg == PortOffsetAlgorithm.Md5)
        {
            var words = new uint[NetSecret.Md5WordCount];
            for (int i = 0; i < words.Length; i++) words[i] = draws.NextU32();
            secret = NetSecret.FromMd5Words(words);
        }
        else
        {
            ulong k0 = ((ulong)draws.NextU32() << 32) | draws.NextU32();
            ulong k1 = ((ulong)draws.NextU32() << 32) | draws.NextU32();
            secret = NetSecret.FromSipKey(new SipKey(k0, k1));
        }
        return new KernelPortOffset(alg, secret, hz, jiffiesAtZero ?? TimeSeed.InitialJiffies(hz));
    }

    private KernelPortOffset(PortOffsetAlgorithm algorithm, NetSecret secret, int hz, ulong jiffiesAtZero)
    {
        _algorithm = algorithm;
        _secret = secret;
        Hz = hz;
        JiffiesAtZero = jiffiesAtZero;
    }

    /// <summary>CONFIG_HZ of the modelled kernel.</summary>
    public int Hz { get; }

    /// <summary>The jiffies value at model time 0.</summary>
    public ulong JiffiesAtZero { get; }

    /// <summary>The time seed at <paramref name="nowMs"/>.</summary>
    public uint TimeSeedAt(long nowMs) => TimeSeed.FromJiffies(unchecked(JiffiesAtZero + (ulong)(nowMs * Hz / 1000)), Hz);

    /// <inheritdoc />
    public ulong PortOffset(Destination destination, long nowMs)
    {
        uint seed = TimeSeedAt(nowMs);
        // A value depends only on (destination, time seed), which changes every 10 s: remember the latest values in a
        // small direct-mapped cache (simulations connect to the same destinations millions of times per seed).
        uint slot = (destination.Source.Be32 * 0x9E3779B1u ^ destination.Address.Be32 * 0x85EBCA77u ^ (uint)destination.Port * 0xC2B2AE3Du) >> (32 - CacheBits);
        ref var c = ref _cache[slot];
        if (c.Valid && c.Seed == seed && c.Destination == destination) return c.Offset;
        Hashing.PortOffset.TryComputeIpv4(_algorithm, destination.Source.Be32, destination.Address.Be32, (ushort)destination.Port,
            _secret, seed, out ulong offset, out _);
        c = new CacheEntry(true, destination, seed, offset);
        return offset;
    }

    private const int CacheBits = 8;
    private readonly CacheEntry[] _cache = new CacheEntry[1 << CacheBits];

    private readonly record struct CacheEntry(bool Valid, Destination Destination, uint Seed, ulong Offset);
}
