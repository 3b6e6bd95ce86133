using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace PortSelection.Model.Hashing;

/// <summary>
/// The kernel's <c>siphash_key_t</c>: a 128-bit SipHash key held as two 64-bit words <c>key[0]</c>, <c>key[1]</c>
/// (<see cref="K0"/>, <see cref="K1"/>).
/// </summary>
/// <remarks>
/// <para>Source: <c>include/linux/siphash.h</c> (<c>typedef struct { u64 key[2]; } siphash_key_t;</c>), introduced with
/// lib/siphash.c in 4.11 (2c956a60778c "siphash: add cryptographically secure PRF"); the boot-time <c>net_secret</c>
/// of net/core/secure_seq.c is one of these since 7cd23e5300c1 (4.11). shared/kernel/port-selection.md §4.1.</para>
/// <para>Text form: 32 hexadecimal digits giving the 16 key bytes in memory order; <see cref="K0"/> is the
/// little-endian u64 of bytes 0..7 and <see cref="K1"/> of bytes 8..15, exactly as the reference SipHash
/// implementation loads its 16-byte key (<c>k0 = U8TO64_LE(k)</c>, <c>k1 = U8TO64_LE(k + 8)</c>). The SipHash
/// paper's key 00 01 … 0f is therefore <c>000102030405060708090a0b0c0d0e0f</c>.</para>
/// </remarks>
/// <param name="K0">The first key word (<c>key[0]</c>).</param>
/// <param name="K1">The second key word (<c>key[1]</c>).</param>
public readonly record struct SipKey(ulong K0, ulong K1)
{
    /// <summary>The accepted text syntax, for error messages.</summary>
    public const string Syntax = "32 hexadecimal digits (the 16 key bytes in memory order, e.g. 000102030405060708090a0b0c0d0e0f)";

    /// <summary>Builds the key from its 16 bytes in memory order.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 16 bytes long.</exception>
    public static SipKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 16)
            throw new ArgumentException($"A SipHash key is 16 bytes, got {bytes.Length}.", nameof(bytes));
        return new SipKey(BinaryPrimitives.ReadUInt64LittleEndian(bytes), BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
    }

    /// <summary>Writes the 16 key bytes in memory order into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 16 bytes.</exception>
    public void WriteBytes(Span<byte> destination)
    {
        if (destination.Length < 16)
            throw new ArgumentException($"A SipHash key needs 16 bytes, got {destination.Length}.", nameof(destination));
        BinaryPrimitives.WriteUInt64LittleEndian(destination, K0);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], K1);
    }

    /// <summary>Parses 32 hexadecimal digits (see <see cref="Syntax"/>).</summary>
    /// <exception cref="FormatException">The text is not 32 hexadecimal digits; the message names the input and the syntax.</exception>
    public static SipKey Parse(string hex32)
    {
        if (!TryParse(hex32, out var key, out var error)) throw new FormatException(error);
        return key;
    }

    /// <summary>Parses 32 hexadecimal digits (see <see cref="Syntax"/>); false with a one-line reason otherwise.</summary>
    public static bool TryParse(string? hex32, out SipKey key, [NotNullWhen(false)] out string? error)
    {
        key = default;
        string shown = hex32 is null ? "(null)" : $"'{hex32}'";
        if (hex32 is null || hex32.Length != 32)
        {
            error = $"Invalid SipHash key {shown}: expected {Syntax}" +
                    (hex32 is null ? "." : $", got {hex32.Length} characters.");
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            int hi = HexValue(hex32[2 * i]), lo = HexValue(hex32[2 * i + 1]);
            if (hi < 0 || lo < 0)
            {
                int at = hi < 0 ? 2 * i : 2 * i + 1;
                error = $"Invalid SipHash key {shown}: character {at + 1} ('{hex32[at]}') is not a hexadecimal digit; expected {Syntax}.";
                return false;
            }
            bytes[i] = (byte)(hi << 4 | lo);
        }

        key = FromBytes(bytes);
        error = null;
        return true;
    }

    /// <summary>The key as 32 lower-case hexadecimal digits (the 16 bytes in memory order); round-trips through <see cref="Parse"/>.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
