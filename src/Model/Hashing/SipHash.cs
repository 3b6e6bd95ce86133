using System.Buffers.Binary;
using System.Numerics;

namespace PortSelection.Model.Hashing;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) as the kernel's lib/siphash.c
/// computes it: 64-bit output, 128-bit key <see cref="SipKey"/>.
/// </summary>
/// <remarks>
/// <para>Kernel: lib/siphash.c (since 4.11, 2c956a60778c) — <c>siphash()</c> over bytes, <c>siphash_3u32()</c> and
/// <c>siphash_4u32()</c> (the latter is an inline in include/linux/siphash.h calling <c>siphash_2u64()</c>). Used by
/// <c>secure_ipv4_port_ephemeral()</c> since 7cd23e5300c1 (4.11); see shared/kernel/port-selection.md §4.1.</para>
/// <para>Message words are read little-endian (<c>le64_to_cpup</c>), the final block carries the message length in
/// its top byte, exactly as in the reference implementation.</para>
/// </remarks>
public static class SipHash
{
    /// <summary>SipHash-2-4 of <paramref name="data"/> under <paramref name="key"/> (kernel <c>siphash(data, len, key)</c>).</summary>
    public static ulong Hash(ReadOnlySpan<byte> data, SipKey key)
    {
        unchecked
        {
            ulong v0 = 0x736f6d6570736575UL ^ key.K0;
            ulong v1 = 0x646f72616e646f6dUL ^ key.K1;
            ulong v2 = 0x6c7967656e657261UL ^ key.K0;
            ulong v3 = 0x7465646279746573UL ^ key.K1;

            int whole = data.Length & ~7;
            for (int i = 0; i < whole; i += 8)
            {
                ulong m = BinaryPrimitives.ReadUInt64LittleEndian(data[i..]);
                v3 ^= m;
                Round(ref v0, ref v1, ref v2, ref v3);
                Round(ref v0, ref v1, ref v2, ref v3);
                v0 ^= m;
            }

            ulong b = (ulong)data.Length << 56;
            ReadOnlySpan<byte> tail = data[whole..];
            for (int i = 0; i < tail.Length; i++) b |= (ulong)tail[i] << (8 * i);
            return Finish(v0, v1, v2, v3, b);
        }
    }

    /// <summary>
    /// Kernel <c>siphash_3u32(first, second, third, key)</c>: SipHash-2-4 of the 12 bytes
    /// <c>LE32(a) ‖ LE32(b) ‖ LE32(c)</c>.
    /// </summary>
    /// <remarks>lib/siphash.c (4.11+): <c>combined = (u64)second &lt;&lt; 32 | first</c> is one message word, <c>third</c>
    /// is or-ed into the final block with length 12.</remarks>
    public static ulong Hash3U32(uint a, uint b, uint c, SipKey key)
    {
        unchecked
        {
            ulong v0 = 0x736f6d6570736575UL ^ key.K0;
            ulong v1 = 0x646f72616e646f6dUL ^ key.K1;
            ulong v2 = 0x6c7967656e657261UL ^ key.K0;
            ulong v3 = 0x7465646279746573UL ^ key.K1;
            ulong combined = (ulong)b << 32 | a;
            v3 ^= combined;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= combined;
            return Finish(v0, v1, v2, v3, 12UL << 56 | c);
        }
    }

    /// <summary>
    /// Kernel <c>siphash_4u32(a, b, c, d, key)</c>: SipHash-2-4 of the 16 bytes
    /// <c>LE32(a) ‖ LE32(b) ‖ LE32(c) ‖ LE32(d)</c>.
    /// </summary>
    /// <remarks>include/linux/siphash.h: <c>siphash_2u64((u64)b &lt;&lt; 32 | a, (u64)d &lt;&lt; 32 | c, key)</c>;
    /// used by <c>secure_ipv4_port_ephemeral()</c> since b2d057560b81 / 4dfa9b438ee3 (5.18 and 2022 stable).</remarks>
    public static ulong Hash4U32(uint a, uint b, uint c, uint d, SipKey key) =>
        Hash2U64((ulong)b << 32 | a, (ulong)d << 32 | c, key);

    /// <summary>Kernel <c>siphash_2u64(first, second, key)</c>: SipHash-2-4 of <c>LE64(first) ‖ LE64(second)</c>.</summary>
    /// <remarks>lib/siphash.c (4.11+).</remarks>
    public static ulong Hash2U64(ulong first, ulong second, SipKey key)
    {
        unchecked
        {
            ulong v0 = 0x736f6d6570736575UL ^ key.K0;
            ulong v1 = 0x646f72616e646f6dUL ^ key.K1;
            ulong v2 = 0x6c7967656e657261UL ^ key.K0;
            ulong v3 = 0x7465646279746573UL ^ key.K1;
            v3 ^= first;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= first;
            v3 ^= second;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= second;
            return Finish(v0, v1, v2, v3, 16UL << 56);
        }
    }

    private static ulong Finish(ulong v0, ulong v1, ulong v2, ulong v3, ulong b)
    {
        v3 ^= b;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= b;
        v2 ^= 0xff;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        return (v0 ^ v1) ^ (v2 ^ v3);
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        unchecked
        {
            v0 += v1; v1 = BitOperations.RotateLeft(v1, 13); v1 ^= v0; v0 = BitOperations.RotateLeft(v0, 32);
            v2 += v3; v3 = BitOperations.RotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = BitOperations.RotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = BitOperations.RotateLeft(v1, 17); v1 ^= v2; v2 = BitOperations.RotateLeft(v2, 32);
        }
    }
}
