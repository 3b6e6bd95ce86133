using FsCheck;
using FsCheck.Fluent;
using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class EhashFnTests
{
    [Fact]
    public void Pre_6_15_form_is_jhash_3words_of_ports_word()
    {
        // __inet_ehashfn: jhash_3words(laddr, faddr, (u32)lport << 16 | (__force u32)fport, secret + mix).
        uint laddr = 0x0100007F, faddr = 0x0200007F;
        uint expected = JHash.Jhash3Words(laddr, faddr, (40000u << 16) | 0x5000u, unchecked(0xA5A5A5A5u + 0x12345678u));
        Assert.Equal(expected, EhashFn.InetEhashfn(laddr, 40000, faddr, 80, 0xA5A5A5A5, 0x12345678, portAdditive: false));
    }

    [Fact]
    public void Port_additive_form_is_hash_port0_plus_lport_property()
    {
        Prop.ForAll<Tuple<uint, uint>, Tuple<ushort, ushort>, Tuple<uint, uint>>((addrs, ports, keys) =>
        {
            var (laddr, faddr) = addrs;
            var (lport, fport) = ports;
            var (secret, mix) = keys;
            uint port0 = EhashFn.HashPort0(laddr, faddr, fport, secret, mix);
            return EhashFn.InetEhashfn(laddr, lport, faddr, fport, secret, mix, portAdditive: true) == unchecked(port0 + lport)
                && port0 == EhashFn.InetEhashfn(laddr, 0, faddr, fport, secret, mix, portAdditive: true)
                // with lport = 0 both forms coincide
                && port0 == EhashFn.InetEhashfn(laddr, 0, faddr, fport, secret, mix, portAdditive: false);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
    }

    [Fact]
    public void Consecutive_ports_walk_consecutive_buckets_in_6_15()
    {
        uint port0 = EhashFn.HashPort0(0x0100007F, 0x0200007F, 80, 1, 2);
        for (ushort p = 32768; p < 32800; p++)
            Assert.Equal((port0 + p) & 0x3FFFFu,
                EhashFn.BucketIndex(EhashFn.InetEhashfn(0x0100007F, p, 0x0200007F, 80, 1, 2, true), 262144));
    }

    [Fact]
    public void Bucket_index_masks_and_requires_power_of_two()
    {
        Assert.Equal(0x345u, EhashFn.BucketIndex(0x12345, 0x1000 >> 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => EhashFn.BucketIndex(1, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => EhashFn.BucketIndex(1, 0));
    }
}
