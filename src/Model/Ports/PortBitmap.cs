using System.Numerics;

namespace PortSelection.Model.Ports;

/// <summary>
/// A set of ports 0..65535 as a 65536-bit bitmap — the representation the kernel uses for
/// <c>ip_local_reserved_ports</c> (<c>net->ipv4.sysctl_local_reserved_ports</c>, a large bitmap written by
/// <c>proc_do_large_bitmap</c>). Immutable once built.
/// </summary>
public sealed class PortBitmap : IEquatable<PortBitmap>
{
    /// <summary>Number of 64-bit words (65536 / 64).</summary>
    public const int Words = 1024;

    private readonly ulong[] _bits;

    /// <summary>The empty set.</summary>
    public static PortBitmap Empty { get; } = new(new ulong[Words]);

    private PortBitmap(ulong[] bits)
    {
        _bits = bits;
        Count = bits.Sum(w => BitOperations.PopCount(w));
        for (int w = 0; w < Words; w++)
            if (bits[w] != 0) _blocks[w >> 9] |= 1UL << ((w >> 3) & 63);
    }

    private readonly ulong[] _blocks = new ulong[2];

    /// <summary>True when block <paramref name="k"/> (ports <c>512k .. 512k + 511</c>, 8 words; k = 0..127) holds a port of the set.</summary>
    public bool AnyInBlock(int k) => (_blocks[k >> 6] & (1UL << (k & 63))) != 0;

    /// <summary>True when a port of the set lies in <paramref name="low"/> .. <paramref name="high"/> (0 ≤ low ≤ high ≤ 65535).</summary>
    internal bool AnyInRange(int low, int high)
    {
        if (Count == 0) return false;
        int w0 = low >> 6, w1 = high >> 6;
        ulong first = ~0UL << (low & 63), lastMask = ~0UL >> (63 - (high & 63));
        if (w0 == w1) return (_bits[w0] & first & lastMask) != 0;
        if ((_bits[w0] & first) != 0 || (_bits[w1] & lastMask) != 0) return true;
        for (int w = w0 + 1; w < w1; w++)
        {
            if ((w & 7) == 0 && w + 8 <= w1 && !AnyInBlock(w >> 3))
            {
                w += 7;
                continue;
            }
            if (_bits[w] != 0) return true;
        }
        return false;
    }

    /// <summary>Number of ports in the set.</summary>
    public int Count { get; }

    /// <summary>True when <paramref name="port"/> (0..65535) is in the set; false for any other value.</summary>
    public bool Contains(int port) => (uint)port <= 65535 && (_bits[port >> 6] & (1UL << (port & 63))) != 0;

    /// <summary>The raw 64-bit words (bit <c>p &amp; 63</c> of word <c>p &gt;&gt; 6</c> is port p).</summary>
    public ReadOnlySpan<ulong> AsSpan() => _bits;

    internal ulong[] BitsArray => _bits;

    /// <summary>Builds a set from ports (values outside 0..65535 are rejected).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A port is outside 0..65535.</exception>
    public static PortBitmap From(IEnumerable<int> ports)
    {
        var bits = new ulong[Words];
        foreach (var p in ports)
        {
            if ((uint)p > 65535) throw new ArgumentOutOfRangeException(nameof(ports), p, "ports are 0..65535");
            bits[p >> 6] |= 1UL << (p & 63);
        }
        return new PortBitmap(bits);
    }

    /// <summary>Builds a set from inclusive ranges.</summary>
    public static PortBitmap FromRanges(IEnumerable<(int Low, int High)> ranges)
    {
        var bits = new ulong[Words];
        foreach (var (lo, hi) in ranges)
            for (int p = Math.Max(0, lo); p <= Math.Min(65535, hi); p++) bits[p >> 6] |= 1UL << (p & 63);
        return new PortBitmap(bits);
    }

    /// <summary>The ports in ascending order.</summary>
    public IEnumerable<int> Ports()
    {
        for (int w = 0; w < Words; w++)
        {
            ulong x = _bits[w];
            while (x != 0)
            {
                int b = BitOperations.TrailingZeroCount(x);
                yield return (w << 6) | b;
                x &= x - 1;
            }
        }
    }

    /// <summary>The set in sysctl syntax, as the kernel prints it: ascending, ranges collapsed (<c>"8080,9000-9100"</c>; empty set = "").</summary>
    public override string ToString() => PortListSyntax.Format(Ports());

    /// <inheritdoc />
    public bool Equals(PortBitmap? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);
    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PortBitmap);
    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var w in _bits) h.Add(w);
        return h.ToHashCode();
    }
}
