using System.Numerics;

namespace PortSelection.Model.Hashing;

/// <summary>
/// The MD5 compression function as the kernel's <c>md5_transform(u32 hash[4], const u32 in[16])</c>: one 64-byte
/// block, given as 16 host-order words, updates the 4-word state in place (the input state is added back at the end,
/// RFC 1321 §3.4).
/// </summary>
/// <remarks>
/// <para>Kernel: lib/md5.c (<c>md5_transform</c>, exported through include/linux/cryptohash.h; 3.1 to 4.10 callers in
/// net/core/secure_seq.c). <c>secure_ipv4_port_ephemeral()</c> used it from the 3.1-era commit 6e5714eaf77d "net: Compute
/// protocol sequence numbers and fragment IDs using MD5" (id from memory, port-selection.md §1/§11) until 7cd23e5300c1 (4.11) replaced it with SipHash;
/// shared/kernel/port-selection.md §4.1.</para>
/// <para>No padding, no length, no byte swapping: the kernel callers pass raw words. To hash a byte block the
/// RFC 1321 way, the 16 words are the little-endian u32 of the block's bytes and the digest bytes are the
/// little-endian bytes of the four state words.</para>
/// </remarks>
public static class Md5Transform
{
    /// <summary>The RFC 1321 initial state A, B, C, D (<c>MD5_H0</c>..<c>MD5_H3</c> in the kernel).</summary>
    public static ReadOnlySpan<uint> InitialState => [0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u];

    /// <summary>The RFC 1321 table T[1..64] = floor(|sin(i)|·2^32), as constants.</summary>
    internal static ReadOnlySpan<uint> SineTable =>
    [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ];

    private static ReadOnlySpan<byte> Shifts => [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

    /// <summary>Kernel <c>md5_transform(hash, in)</c>: compresses one block into <paramref name="hash"/> in place.</summary>
    /// <param name="hash">The 4-word state, updated in place.</param>
    /// <param name="input">The 16 message words (host order, as the kernel passes them).</param>
    /// <exception cref="ArgumentException"><paramref name="hash"/> is not 4 words or <paramref name="input"/> is not 16 words.</exception>
    public static void Transform(Span<uint> hash, ReadOnlySpan<uint> input)
    {
        if (hash.Length != 4) throw new ArgumentException($"MD5 state is 4 words, got {hash.Length}.", nameof(hash));
        if (input.Length != 16) throw new ArgumentException($"MD5 block is 16 words, got {input.Length}.", nameof(input));
        unchecked
        {
            uint a = hash[0], b = hash[1], c = hash[2], d = hash[3];
            ReadOnlySpan<uint> t = SineTable;
            ReadOnlySpan<byte> s = Shifts;
            for (int i = 0; i < 64; i++)
            {
                int round = i >> 4;
                uint f;
                int g;
                switch (round)
                {
                    case 0: f = d ^ (b & (c ^ d)); g = i; break;                 // F
                    case 1: f = c ^ (d & (b ^ c)); g = (5 * i + 1) & 15; break;  // G
                    case 2: f = b ^ c ^ d; g = (3 * i + 5) & 15; break;          // H
                    default: f = c ^ (b | ~d); g = (7 * i) & 15; break;          // I
                }
                uint rotated = BitOperations.RotateLeft(a + f + t[i] + input[g], s[(round << 2) | (i & 3)]);
                a = d;
                d = c;
                c = b;
                b += rotated;
            }
            hash[0] += a;
            hash[1] += b;
            hash[2] += c;
            hash[3] += d;
        }
    }
}
