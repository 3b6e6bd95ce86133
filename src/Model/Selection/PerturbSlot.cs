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
    /// <summary>The start offset before the parity mask; the slot index (−1 in era C) and its value before the scan.</summary>
    public static uint Start(ConnectEra era, PerturbState st, ulong portOffset, uint remaining, out int index, out uint before)
    {
        switch (era)
        {
            case ConnectEra.C:
                index = -1;
                before = st.Hint;
                return unchecked(before + (uint)portOffset) % remaining;
            case ConnectEra.D:
                index = (int)Hash32.Of((uint)portOffset, st.Order);
                before = st[index];
                return unchecked(before + (uint)portOffset) % remaining;
            default:
                index = (int)(portOffset & (ulong)(st.Size - 1));
                before = st[index];
                return unchecked(before + (uint)(portOffset >> 32)) % remaining;
        }
    }

    /// <summary>Applies the success update for a port found at <paramref name="i"/>; returns the new value, and the draw made (−1 when none) in <paramref name="draw"/>.</summary>
    public static uint Update(ConnectEra era, PerturbState st, int index, uint before, int i, int step, IRandomDraws draws, out int draw)
    {
        switch (era)
        {
            case ConnectEra.C:
                draw = -1;
                return st.Hint = unchecked(st.Hint + (uint)(i + 2));
            case ConnectEra.D:
            {
                draw = -1;
                if (i == 0)
                {
                    draw = draws.Rand16();
                    if (draw == 0) i = 2;
                }
                uint after = unchecked(before + (uint)(i + 2));
                st[index] = after;
                return after;
            }
            default:
            {
                draw = draws.Rand8();
                uint after = unchecked(before + (uint)(Math.Max(i, draw * step) + step));
                st[index] = after;
                return after;
            }
        }
    }
}
