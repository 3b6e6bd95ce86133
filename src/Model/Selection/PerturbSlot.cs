using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;

namespace PortSelection.Model.Selection;

/// <summary>
/// The scan-state arithmetic of <c>__inet_hash_connect()</c> for eras C–E, shared by the reference and the fast scan:
/// which hint / <c>table_perturb</c> slot a destination uses, the start offset it gives, and its update on success.
/// </summary>
/// <remarks>
/// Era C (1580ab63fc9a): <c>offset = (hint + off32) % remaining</c>, <c>hint += i + 2</c>.
/// Era D (190cc82489f4, c579bd1b4021): <c>index = hash_32(off32, 8)</c>, <c>offset = (T[index] + off32) % remaining</c>,
/// <c>if i == 0 and rand16 == 0: i = 2</c>, <c>T[index] += i + 2</c>.
/// Era E (5.18 Tarreau series; 6.8 207184853dbd for step): <c>index = off64 &amp; (size − 1)</c>,
/// <c>offset = (u32)(T[index] + (off64 &gt;&gt; 32)) % remaining</c>, <c>i = max(i, rand8·step)</c>, <c>T[index] += i + step</c>.
/// The parity mask (<c>offset &amp;= ~1</c> unless step 1) is applied by the caller. shared/kernel/port-selection.md §3.3–3.7.
/// </remarks>
internal static class PerturbSlot
{
    /// <summary>The slot index (null in era C), its value before the scan, and the start offset before the parity mask.</summary>
    public static (int? Index, uint Before, uint Offset) Start(ConnectEra era, PerturbState st, ulong portOffset, uint remaining)
    {
        switch (era)
        {
            case ConnectEra.C:
                return (null, st.Hint, unchecked(st.Hint + (uint)portOffset) % remaining);
            case ConnectEra.D:
            {
                int index = (int)Hash32.Of((uint)portOffset, st.Order);
                uint before = st[index];
                return (index, before, unchecked(before + (uint)portOffset) % remaining);
            }
            default:
            {
                int index = (int)(portOffset & (ulong)(st.Size - 1));
                uint before = st[index];
                return (index, before, unchecked(before + (uint)(portOffset >> 32)) % remaining);
            }
        }
    }

    /// <summary>Applies the success update for a port found at <paramref name="i"/>; returns the new value and the draw made (if any).</summary>
    public static (uint After, int? Draw) Update(ConnectEra era, PerturbState st, int? index, uint before, int i, int step, IRandomDraws draws)
    {
        switch (era)
        {
            case ConnectEra.C:
                st.Hint = unchecked(st.Hint + (uint)(i + 2));
                return (st.Hint, null);
            case ConnectEra.D:
            {
                int? draw = null;
                if (i == 0)
                {
                    draw = draws.Rand16();
                    if (draw == 0) i = 2;
                }
                uint after = unchecked(before + (uint)(i + 2));
                st[index!.Value] = after;
                return (after, draw);
            }
            default:
            {
                int draw = draws.Rand8();
                uint after = unchecked(before + (uint)(Math.Max(i, draw * step) + step));
                st[index!.Value] = after;
                return (after, draw);
            }
        }
    }
}
