using System.Buffers.Binary;
using System.Numerics;

namespace PortSelection.Model.Hashing;

/// <summary>
/// Bob Jenkins' lookup3 hash as the kernel's include/linux/jhash.h implements it: <c>jhash</c> (bytes),
/// <c>jhash2</c> (u32 words) and the fixed-size <c>jhash_1word</c>/<c>jhash_2words</c>/<c>jhash_3words</c>.
/// </summary>
/// <remarks>
/// <para>include/linux/jhash.h (the lookup3 variant, crediting Bob Jenkins' lookup3.c of May 2006; the form of every
/// kernel this model covers, 3.x to 7.x). <c>jhash()</c> reads its 12-byte blocks with
/// <c>__get_unaligned_cpu32</c>, so on a little-endian host it equals lookup3's <c>hashlittle()</c>;
/// <c>JHASH_INITVAL = 0xdeadbeef</c>. Used by <c>inet_ehashfn</c> (ehash) and <c>ipv4_portaddr_hash</c> (bhash2);
/// shared/kernel/port-selection.md §4.3–4.4. The model assumes a little-endian host.</para>
/// </remarks>
public static class JHash
{
    /// <summary><c>JHASH_INITVAL</c>, lookup3's arbitrary initial value.</summary>
    public const uint InitVal = 0xdeadbeef;

    /// <summary>Kernel <c>jhash(key, length, initval)</c> over bytes (= lookup3 <c>hashlittle</c> on little-endian).</summary>
    public static uint Jhash(ReadOnlySpan<byte> key, uint initval)
    {
        unchecked
        {
            uint a, b, c;
            a = b = c = InitVal + (uint)key.Length + initval;
            while (key.Length > 12)
            {
                a += BinaryPrimitives.ReadUInt32LittleEndian(key);
                b += BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
                c += BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
                Mix(ref a, ref b, ref c);
                key = key[12..];
            }
            if (key.Length == 0) return c;
            // Tail of 1..12 bytes: byte i adds (k[i] << 8*(i%4)) to word i/4 of (a, b, c).
            for (int i = 0; i < key.Length; i++)
            {
                uint v = (uint)key[i] << (8 * (i & 3));
                switch (i >> 2)
                {
                    case 0: a += v; break;
                    case 1: b += v; break;
                    default: c += v; break;
                }
            }
            Final(ref a, ref b, ref c);
            return c;
        }
    }

    /// <summary>Kernel <c>jhash2(k, length, initval)</c> over u32 words (= lookup3 <c>hashword</c>).</summary>
    public static uint Jhash2(ReadOnlySpan<uint> k, uint initval)
    {
        unchecked
        {
            uint a, b, c;
            a = b = c = InitVal + ((uint)k.Length << 2) + initval;
            while (k.Length > 3)
            {
                a += k[0];
                b += k[1];
                c += k[2];
                Mix(ref a, ref b, ref c);
                k = k[3..];
            }
            switch (k.Length)
            {
                case 3: c += k[2]; b += k[1]; a += k[0]; break;
                case 2: b += k[1]; a += k[0]; break;
                case 1: a += k[0]; break;
                default: return c;
            }
            Final(ref a, ref b, ref c);
            return c;
        }
    }

    /// <summary>Kernel <c>jhash_3words(a, b, c, initval)</c> = <c>__jhash_nwords(a, b, c, initval + JHASH_INITVAL + (3 &lt;&lt; 2))</c>.</summary>
    public static uint Jhash3Words(uint a, uint b, uint c, uint initval) =>
        NWords(a, b, c, unchecked(initval + InitVal + (3u << 2)));

    /// <summary>Kernel <c>jhash_2words(a, b, initval)</c> = <c>__jhash_nwords(a, b, 0, initval + JHASH_INITVAL + (2 &lt;&lt; 2))</c>.</summary>
    public static uint Jhash2Words(uint a, uint b, uint initval) =>
        NWords(a, b, 0, unchecked(initval + InitVal + (2u << 2)));

    /// <summary>Kernel <c>jhash_1word(a, initval)</c> = <c>__jhash_nwords(a, 0, 0, initval + JHASH_INITVAL + (1 &lt;&lt; 2))</c>.</summary>
    public static uint Jhash1Word(uint a, uint initval) =>
        NWords(a, 0, 0, unchecked(initval + InitVal + (1u << 2)));

    /// <summary>Kernel <c>__jhash_nwords</c>: adds <paramref name="initval"/> to each word, then <c>__jhash_final</c>.</summary>
    private static uint NWords(uint a, uint b, uint c, uint initval)
    {
        unchecked
        {
            a += initval;
            b += initval;
            c += initval;
            Final(ref a, ref b, ref c);
            return c;
        }
    }

    /// <summary>Kernel <c>__jhash_mix</c> (lookup3 <c>mix</c>).</summary>
    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        unchecked
        {
            a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
            a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
        }
    }

    /// <summary>Kernel <c>__jhash_final</c> (lookup3 <c>final</c>).</summary>
    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        unchecked
        {
            c ^= b; c -= BitOperations.RotateLeft(b, 14);
            a ^= c; a -= BitOperations.RotateLeft(c, 11);
            b ^= a; b -= BitOperations.RotateLeft(a, 25);
            c ^= b; c -= BitOperations.RotateLeft(b, 16);
            a ^= c; a -= BitOperations.RotateLeft(c, 4);
            b ^= a; b -= BitOperations.RotateLeft(a, 14);
            c ^= b; c -= BitOperations.RotateLeft(b, 24);
        }
    }
}
