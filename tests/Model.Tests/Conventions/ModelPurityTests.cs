using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace PortSelection.Model.Tests.Conventions;

/// <summary>
/// The Model assembly is pure (ARCHITECTURE.md): it references no I/O, interop, clock, ambient randomness or
/// threading API, and has no static mutable state.
/// </summary>
public class ModelPurityTests
{
    private static readonly Assembly Model = typeof(PortSelection.Model.Kernel.KernelProfile).Assembly;

    private static readonly string[] ForbiddenTypes =
    [
        "System.IO.File", "System.IO.FileInfo", "System.IO.FileStream", "System.IO.Directory", "System.IO.DirectoryInfo",
        "System.IO.StreamReader", "System.IO.StreamWriter", "System.IO.Path", "System.Console",
        "System.Diagnostics.Process", "System.Diagnostics.Stopwatch", "System.DateTime", "System.DateTimeOffset",
        "System.TimeProvider", "System.Threading.Thread", "System.Threading.Timer",
        "System.Security.Cryptography.RandomNumberGenerator", "System.Runtime.InteropServices.Marshal",
        "System.Runtime.InteropServices.DllImportAttribute", "System.Runtime.InteropServices.LibraryImportAttribute",
        "System.Runtime.InteropServices.NativeLibrary", "System.Net.Sockets.Socket", "System.Net.Http.HttpClient",
    ];

    private static IEnumerable<string> ReferencedTypeNames()
    {
        using var pe = new PEReader(File.OpenRead(Model.Location));
        var md = pe.GetMetadataReader();
        foreach (var h in md.TypeReferences)
        {
            var t = md.GetTypeReference(h);
            yield return $"{md.GetString(t.Namespace)}.{md.GetString(t.Name)}";
        }
    }

    [Fact]
    public void Model_references_no_io_interop_clock_or_ambient_randomness()
    {
        var referenced = ReferencedTypeNames().ToHashSet();
        Assert.NotEmpty(referenced);
        var bad = referenced.Intersect(ForbiddenTypes).ToList();
        Assert.True(bad.Count == 0, "Model references: " + string.Join(", ", bad));
        Assert.DoesNotContain(referenced, n => (n.StartsWith("System.Net.Sockets.", StringComparison.Ordinal) && n != "System.Net.Sockets.AddressFamily") || n.StartsWith("System.IO.Pipes", StringComparison.Ordinal));
    }

    /// <summary>Compiler-generated iterators read <c>Environment.CurrentManagedThreadId</c>; nothing else of Environment is allowed.</summary>
    [Fact]
    public void Model_uses_no_environment_member_but_the_iterator_thread_id()
    {
        using var pe = new PEReader(File.OpenRead(Model.Location));
        var md = pe.GetMetadataReader();
        var used = new List<string>();
        foreach (var h in md.MemberReferences)
        {
            var m = md.GetMemberReference(h);
            if (m.Parent.Kind != HandleKind.TypeReference) continue;
            var t = md.GetTypeReference((TypeReferenceHandle)m.Parent);
            if (md.GetString(t.Namespace) == "System" && md.GetString(t.Name) == "Environment")
                used.Add(md.GetString(m.Name));
        }
        Assert.All(used, n => Assert.Equal("get_CurrentManagedThreadId", n));
    }

    /// <summary>An injected, seeded <see cref="Random"/> is allowed; creating an unseeded one or using <c>Random.Shared</c> is not.</summary>
    [Fact]
    public void Model_never_creates_ambient_randomness()
    {
        using var pe = new PEReader(File.OpenRead(Model.Location));
        var md = pe.GetMetadataReader();
        var bad = new List<string>();
        foreach (var h in md.MemberReferences)
        {
            var m = md.GetMemberReference(h);
            if (m.Parent.Kind != HandleKind.TypeReference) continue;
            var t = md.GetTypeReference((TypeReferenceHandle)m.Parent);
            if (md.GetString(t.Namespace) != "System" || md.GetString(t.Name) != "Random") continue;
            var name = md.GetString(m.Name);
            var sig = md.GetBlobReader(m.Signature);
            sig.ReadSignatureHeader();
            int parameters = sig.ReadCompressedInteger();
            if (name == "get_Shared" || (name == ".ctor" && parameters == 0)) bad.Add(name);
        }
        Assert.Empty(bad);
    }

    [Fact]
    public void Model_has_no_static_mutable_fields()
    {
        var mutable = Model.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly && !f.Name.Contains('<'))
            .Select(f => $"{f.DeclaringType!.FullName}.{f.Name}")
            .ToList();
        Assert.True(mutable.Count == 0, "static mutable fields: " + string.Join(", ", mutable));
    }

    [Fact]
    public void Model_has_no_pinvoke_methods()
    {
        var pinvoke = Model.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => (m.Attributes & MethodAttributes.PinvokeImpl) != 0)
            .Select(m => m.Name).ToList();
        Assert.Empty(pinvoke);
    }
}
