namespace PortSelection.Model.Hashing;

/// <summary>
/// The established-table hash of an IPv4 4-tuple, the kernel's <c>inet_ehashfn(net, laddr, lport, faddr, fport)</c>,
/// and its bucket index <c>hash &amp; ehash_mask</c>.
/// </summary>
/// <remarks>
/// <para>net/ipv4/inet_hashtables.c <c>inet_ehashfn</c> over include/net/inet_sock.h <c>__inet_ehashfn</c>
/// = <c>jhash_3words((__force u32)laddr, (__force u32)faddr, ((u32)lport) &lt;&lt; 16 | (__force u32)fport,
/// inet_ehash_secret + net_hash_mix(net))</c> — <c>lport</c> is host order, <c>fport</c> a <c>__be16</c>.</para>
/// <para>6.15+ (9544d60a2605, series "tcp: even faster connect() under stress"; read in the patch mail's diff: <c>return lport +
/// __inet_ehashfn(laddr, 0, faddr, fport, inet_ehash_secret + net_hash_mix(net))</c>), with d4438ce68bf1 computing
/// <c>hash_port0</c> once per connect; selected by <c>KernelProfile.EhashPortAdditive</c>.
/// shared/kernel/port-selection.md §4.3. The value only decides which chain a lookup walks (cost), never the port.</para>
/// <para>Addresses are <c>(__force u32)</c> values (<see cref="NetOrder.Ipv4Be32(System.Net.IPAddress)"/>), ports are host order.</para>
/// </remarks>
public static class EhashFn
{
    /// <summary>
    /// Kernel <c>inet_ehashfn</c>: pre-6.15 <c>jhash_3words(laddr, faddr, lport &lt;&lt; 16 | be16(fport), secret + mix)</c>;
    /// 6.15+ (<paramref name="portAdditive"/>) <c>lport + HashPort0(…)</c>.
    /// </summary>
    /// <param name="laddr">Local address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="lport">Local port, host order.</param>
    /// <param name="faddr">Foreign address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="fport">Foreign port, host order (hashed as its <c>__be16</c> value).</param>
    /// <param name="ehashSecret"><c>inet_ehash_secret</c> (random u32 per boot).</param>
    /// <param name="netHashMix"><c>net_hash_mix(net)</c>.</param>
    /// <param name="portAdditive">True for 6.15+ (9544d60a2605; <c>KernelProfile.EhashPortAdditive</c>).</param>
    public static uint InetEhashfn(uint laddr, ushort lport, uint faddr, ushort fport, uint ehashSecret, uint netHashMix, bool portAdditive)
    {
        unchecked
        {
            uint initval = ehashSecret + netHashMix;
            return portAdditive
                ? lport + JHash.Jhash3Words(laddr, faddr, NetOrder.PortBe16(fport), initval)
                : JHash.Jhash3Words(laddr, faddr, (uint)lport << 16 | NetOrder.PortBe16(fport), initval);
        }
    }

    /// <summary>
    /// 6.15+ <c>hash_port0</c> (d4438ce68bf1): <c>inet_ehashfn(net, laddr, 0, faddr, fport)</c>, computed once per connect;
    /// the ehash of local port p is then <c>hash_port0 + p</c>.
    /// </summary>
    /// <param name="laddr">Local address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="faddr">Foreign address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="fport">Foreign port, host order.</param>
    /// <param name="ehashSecret"><c>inet_ehash_secret</c>.</param>
    /// <param name="netHashMix"><c>net_hash_mix(net)</c>.</param>
    public static uint HashPort0(uint laddr, uint faddr, ushort fport, uint ehashSecret, uint netHashMix) =>
        JHash.Jhash3Words(laddr, faddr, NetOrder.PortBe16(fport), unchecked(ehashSecret + netHashMix));

    /// <summary>The ehash bucket of a hash: <c>hash &amp; ehash_mask</c> (<c>inet_ehash_bucket</c>).</summary>
    /// <param name="hash">An <see cref="InetEhashfn"/> value.</param>
    /// <param name="ehashEntries">The table size, a power of two (e.g. 262144).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ehashEntries"/> is not a power of two.</exception>
    public static uint BucketIndex(uint hash, uint ehashEntries)
    {
        TableSize.RequirePowerOfTwo(ehashEntries, nameof(ehashEntries));
        return hash & (ehashEntries - 1);
    }
}
