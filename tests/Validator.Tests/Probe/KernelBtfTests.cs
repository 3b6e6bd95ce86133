using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>
/// bpf/portsel.h is hand-written (no vmlinux.h, no libbpf-dev): its helper ids, map type numbers and the UAPI context
/// structs of the cgroup programs (asserted offsets) are checked here against the running kernel's BTF
/// (<c>/sys/kernel/btf/vmlinux</c>; skipped when it is absent).
/// </summary>
public sealed class KernelBtfTests
{
    private const string VmlinuxBtf = "/sys/kernel/btf/vmlinux";

    [Fact]
    public void Helper_ids_match_enum_bpf_func_id()
    {
        var btf = LoadOrSkip();
        var helpers = Regex.Matches(Header(), @"\(\*const (bpf_\w+)\)\([^;]*\) = \(void \*\)(\d+);");
        Assert.True(helpers.Count >= 15, "helper declarations not found in portsel.h");
        foreach (Match m in helpers)
        {
            var name = "BPF_FUNC_" + m.Groups[1].Value["bpf_".Length..];
            Assert.True(btf.Enums.TryGetValue(name, out var id), $"{name} is not in this kernel's enum bpf_func_id");
            Assert.True(id == long.Parse(m.Groups[2].Value), $"{name}: portsel.h says {m.Groups[2].Value}, the kernel {id}");
        }
    }

    [Fact]
    public void Map_types_match_enum_bpf_map_type()
    {
        var btf = LoadOrSkip();
        foreach (Match m in Regex.Matches(Header(), @"#define (BPF_MAP_TYPE_\w+) (\d+)"))
            Assert.True(btf.Enums.TryGetValue(m.Groups[1].Value, out var v) && v == long.Parse(m.Groups[2].Value), $"{m.Groups[1].Value}");
    }

    [Theory]
    [InlineData("bpf_sock_addr")]
    [InlineData("__sk_buff")]
    [InlineData("bpf_sock")]
    public void Cgroup_context_structs_have_the_kernels_layout(string name)
    {
        var btf = LoadOrSkip();
        Assert.True(btf.Structs.TryGetValue(name, out var s), $"struct {name} not in BTF");
        var header = Header();
        var size = Regex.Match(header, $@"sizeof\(struct {Regex.Escape(name)}\) == (\d+)");
        Assert.True(size.Success, $"no size assert for struct {name}");
        Assert.Equal(s.Size, int.Parse(size.Groups[1].Value));
        var fields = Regex.Matches(header, $@"__builtin_offsetof\(struct {Regex.Escape(name)}, (\w+)\) == (\d+)");
        Assert.True(fields.Count >= 4, $"too few offset asserts for struct {name}");
        foreach (Match f in fields)
        {
            Assert.True(s.Members.TryGetValue(f.Groups[1].Value, out var off), $"{name}.{f.Groups[1].Value} not in BTF");
            Assert.True(off == int.Parse(f.Groups[2].Value), $"{name}.{f.Groups[1].Value}: portsel.h {f.Groups[2].Value}, kernel {off}");
        }
    }

    private static string Header()
    {
        var dir = Path.GetDirectoryName(ProbeEventLayoutTests.HeaderPath())!;
        return File.ReadAllText(Path.Combine(dir, "portsel.h"));
    }

    private static Btf LoadOrSkip()
    {
        byte[] data;
        try { data = File.ReadAllBytes(VmlinuxBtf); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Assert.Skip($"{VmlinuxBtf} not readable here: {e.Message}");
            throw; // unreachable
        }
        return Btf.Parse(data);
    }

    /// <summary>The parts of a BTF blob these checks need: enum values (all enums, by name) and structs (byte offsets of
    /// members, anonymous unions and structs flattened).</summary>
    private sealed record Btf(Dictionary<string, long> Enums, Dictionary<string, (int Size, Dictionary<string, int> Members)> Structs)
    {
        private sealed record Type(int Kind, string Name, uint SizeOrType, List<(string Name, uint Type, uint BitOffset)> Members);

        public static Btf Parse(byte[] d)
        {
            uint U32(int o) => BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(o));
            Assert.Equal(0xEB9F, BinaryPrimitives.ReadUInt16LittleEndian(d));
            int hdr = (int)U32(4), typeOff = (int)U32(8), typeLen = (int)U32(12), strOff = (int)U32(16);
            string Str(uint off)
            {
                var start = hdr + strOff + (int)off;
                var end = Array.IndexOf(d, (byte)0, start);
                return Encoding.ASCII.GetString(d, start, end - start);
            }
            var types = new List<Type> { new(0, "", 0, []) };
            var enums = new Dictionary<string, long>();
            for (int p = hdr + typeOff, end = p + typeLen; p < end;)
            {
                uint nameOff = U32(p), info = U32(p + 4), sizeOrType = U32(p + 8);
                p += 12;
                int kind = (int)((info >> 24) & 0x1f), vlen = (int)(info & 0xffff);
                bool kflag = (info >> 31) != 0;
                var members = new List<(string, uint, uint)>();
                switch (kind)
                {
                    case 1 or 14 or 17: p += 4; break;                  // INT, VAR, DECL_TAG
                    case 3: p += 12; break;                             // ARRAY
                    case 4 or 5:                                        // STRUCT, UNION
                        for (var i = 0; i < vlen; i++, p += 12)
                            members.Add((Str(U32(p)), U32(p + 4), kflag ? U32(p + 8) & 0xffffff : U32(p + 8)));
                        break;
                    case 6:                                             // ENUM
                        for (var i = 0; i < vlen; i++, p += 8) enums.TryAdd(Str(U32(p)), (int)U32(p + 4));
                        break;
                    case 19:                                            // ENUM64
                        for (var i = 0; i < vlen; i++, p += 12) enums.TryAdd(Str(U32(p)), (long)(U32(p + 4) | ((ulong)U32(p + 8) << 32)));
                        break;
                    case 13: p += 8 * vlen; break;                      // FUNC_PROTO
                    case 15: p += 12 * vlen; break;                     // DATASEC
                }
                types.Add(new Type(kind, Str(nameOff), sizeOrType, members));
            }

            Type Resolve(uint id)
            {
                var t = types[(int)id];
                while (t.Kind is 8 or 9 or 10 or 11 or 18) t = types[(int)t.SizeOrType]; // typedef, volatile, const, restrict, type tag
                return t;
            }
            void Flatten(Type t, int baseOffset, Dictionary<string, int> into)
            {
                foreach (var (name, type, bits) in t.Members)
                {
                    var mt = Resolve(type);
                    if (name.Length == 0 && mt.Kind is 4 or 5) Flatten(mt, baseOffset + (int)(bits / 8), into);
                    else if (name.Length > 0) into.TryAdd(name, baseOffset + (int)(bits / 8));
                }
            }
            var structs = new Dictionary<string, (int, Dictionary<string, int>)>();
            foreach (var t in types.Where(t => t.Kind == 4 && t.Name.Length > 0))
            {
                var m = new Dictionary<string, int>();
                Flatten(t, 0, m);
                structs.TryAdd(t.Name, ((int)t.SizeOrType, m));
            }
            return new Btf(enums, structs);
        }
    }
}
