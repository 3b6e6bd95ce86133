namespace PortSelection.Model.Hashing;

/// <summary>
/// Bucket indices of the bind tables: <c>inet_bhashfn</c> (bhash, port only) and <c>inet_bhashfn_portaddr</c> over
/// <c>ipv4_portaddr_hash</c> (bhash2, port + address, 6.1+).
/// </summary>
/// <remarks>
/// include/net/inet_hashtables.h: <c>inet_bhashfn(net, lport, bhash_size) = (lport + net_hash_mix(net)) &amp;
/// (bhash_size - 1)</c> (all eras). include/net/ip.h: <c>ipv4_portaddr_hash(net, saddr, port) =
/// jhash_1word((__force u32)saddr, net_hash_mix(net)) ^ port</c>; bhash2 (28044fc1d495, 6.1) indexes
/// <c>hash &amp; (bhash_size - 1)</c>. shared/kernel/port-selection.md §2.1, §4.4–4.5.
/// </remarks>
public static class BindHashFn
{
    /// <summary>Kernel <c>inet_bhashfn</c>: <c>(lport + net_hash_mix) &amp; (bhash_size - 1)</c>.</summary>
    /// <param name="lport">Local port, host order.</param>
    /// <param name="netHashMix"><c>net_hash_mix(net)</c>.</param>
    /// <param name="bhashSize">bhash entries, a power of two (at most 65536).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bhashSize"/> is not a power of two.</exception>
    public static uint InetBhashfn(ushort lport, uint netHashMix, uint bhashSize)
    {
        TableSize.RequirePowerOfTwo(bhashSize, nameof(bhashSize));
        return unchecked(lport + netHashMix) & (bhashSize - 1);
    }

    /// <summary>Kernel <c>ipv4_portaddr_hash</c>: <c>jhash_1word(saddr, net_hash_mix) ^ port</c>.</summary>
    /// <param name="saddr">Bound address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="port">Port, host order.</param>
    /// <param name="netHashMix"><c>net_hash_mix(net)</c>.</param>
    public static uint Ipv4PortaddrHash(uint saddr, uint port, uint netHashMix) =>
        JHash.Jhash1Word(saddr, netHashMix) ^ port;

    /// <summary>The bhash2 bucket of <c>inet_bhashfn_portaddr</c> for IPv4: <c>ipv4_portaddr_hash(...) &amp; (bhash_size - 1)</c>.</summary>
    /// <param name="saddr">Bound address, <c>(__force u32)</c> of the <c>__be32</c>.</param>
    /// <param name="port">Port, host order.</param>
    /// <param name="netHashMix"><c>net_hash_mix(net)</c>.</param>
    /// <param name="bhashSize">bhash entries (bhash2 has the same count), a power of two.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bhashSize"/> is not a power of two.</exception>
    public static uint InetBhashfnPortaddr(uint saddr, ushort port, uint netHashMix, uint bhashSize)
    {
        TableSize.RequirePowerOfTwo(bhashSize, nameof(bhashSize));
        return Ipv4PortaddrHash(saddr, port, netHashMix) & (bhashSize - 1);
    }
}
