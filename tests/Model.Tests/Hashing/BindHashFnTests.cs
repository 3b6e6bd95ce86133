using PortSelection.Model.Hashing;

namespace PortSelection.Model.Tests.Hashing;

public class BindHashFnTests
{
    [Fact]
    public void Bhash_index_is_port_plus_mix_masked()
    {
        Assert.Equal(40000u, BindHashFn.InetBhashfn(40000, 0, 65536));
        Assert.Equal(4u, BindHashFn.InetBhashfn(65535, 5, 65536));          // wraps in the table
        Assert.Equal(unchecked(40000u + 0xFFFF_FFF0u) & 0xFFFu, BindHashFn.InetBhashfn(40000, 0xFFFF_FFF0, 4096)); // u32 wrap
        Assert.Equal(BindHashFn.InetBhashfn(1234, 7, 1024), BindHashFn.InetBhashfn(1234 + 1024, 7, 1024)); // ports ≡ mod size share
        Assert.Throws<ArgumentOutOfRangeException>(() => BindHashFn.InetBhashfn(1, 0, 65535));
    }

    [Fact]
    public void Bhash2_is_jhash_1word_of_address_xor_port_masked()
    {
        uint saddr = 0x0100007F, mix = 0xC0FFEE;
        uint h = JHash.Jhash1Word(saddr, mix);
        Assert.Equal(h ^ 40000u, BindHashFn.Ipv4PortaddrHash(saddr, 40000, mix));
        Assert.Equal((h ^ 40000u) & 0xFFFFu, BindHashFn.InetBhashfnPortaddr(saddr, 40000, mix, 65536));
        Assert.Equal(h & 0xFFFFu, BindHashFn.InetBhashfnPortaddr(saddr, 0, mix, 65536));
    }
}
