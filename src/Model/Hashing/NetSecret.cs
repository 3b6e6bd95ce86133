using System.Collections.Immutable;

namespace PortSelection.Model.Hashing;

/// <summary>
/// The boot-time <c>net_secret</c> of net/core/secure_seq.c that keys <c>port_offset</c>: a 128-bit SipHash key
/// (4.11+) or sixteen u32 words (3.1–4.10, the MD5 era). Generated once per boot by <c>net_get_random_once</c>,
/// shared by all network namespaces; the model takes it as an input because the kernel never exposes it.
/// </summary>
/// <remarks>
/// MD5 era: <c>static u32 net_secret[NET_SECRET_SIZE]</c>, <c>NET_SECRET_SIZE = MD5_MESSAGE_BYTES / 4</c> = 16 (read in
/// daedroza/linux-lts-4.4.y net/core/secure_seq.c). SipHash era: <c>static siphash_key_t net_secret</c> since
/// 7cd23e5300c1 (4.11; read in Rtoax/linux-5.10.13 and linux-netdev/testing). shared/kernel/port-selection.md §4.1.
/// </remarks>
public sealed record NetSecret
{
    private NetSecret(SipKey? sipKey, ImmutableArray<uint> md5Words)
    {
        SipKey = sipKey;
        Md5Words = md5Words;
    }

    /// <summary>Number of u32 words of the MD5-era secret (<c>MD5_MESSAGE_BYTES / 4</c>).</summary>
    public const int Md5WordCount = 16;

    /// <summary>The SipHash key (4.11+), or null for an MD5-era secret.</summary>
    public SipKey? SipKey { get; }

    /// <summary>The 16 MD5-era words (3.1–4.10), or an empty array for a SipHash key.</summary>
    public ImmutableArray<uint> Md5Words { get; }

    /// <summary>A 4.11+ secret (<c>siphash_key_t</c>).</summary>
    public static NetSecret FromSipKey(SipKey key) => new(key, ImmutableArray<uint>.Empty);

    /// <summary>A 3.1–4.10 secret of 16 u32 words.</summary>
    /// <exception cref="ArgumentException"><paramref name="words"/> is not 16 words.</exception>
    public static NetSecret FromMd5Words(ReadOnlySpan<uint> words)
    {
        if (words.Length != Md5WordCount)
            throw new ArgumentException($"The MD5-era net_secret is {Md5WordCount} u32 words, got {words.Length}.", nameof(words));
        return new NetSecret(null, [.. words]);
    }

    /// <summary>True for an equal key or equal MD5 words.</summary>
    public bool Equals(NetSecret? other) =>
        other is not null && SipKey == other.SipKey && Md5Words.AsSpan().SequenceEqual(other.Md5Words.AsSpan());

    /// <summary>A hash consistent with <see cref="Equals(NetSecret?)"/>.</summary>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(SipKey);
        foreach (uint w in Md5Words) h.Add(w);
        return h.ToHashCode();
    }
}
