using System.Reflection;
using System.Runtime.InteropServices;
using PortSelection.Model.Listen;

namespace PortSelection.Model.Tests.Listen;

/// <summary>House rules for the listen-queue namespaces: no static mutable state, no P/Invoke.</summary>
public class ListenPurityTests
{
    private static readonly string[] Namespaces = ["PortSelection.Model.Listen", "PortSelection.Model.Queueing", "PortSelection.Model.Simulation"];

    private static IEnumerable<Type> Types() =>
        typeof(ListenerState).Assembly.GetTypes().Where(t => Namespaces.Any(n => t.Namespace?.StartsWith(n, StringComparison.Ordinal) == true));

    [Fact]
    public void No_static_mutable_fields()
    {
        var bad = Types()
            .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => !f.IsLiteral && !f.IsInitOnly && !f.Name.Contains('<'))
            .Select(f => $"{f.DeclaringType}.{f.Name}")
            .ToList();
        Assert.Empty(bad);
    }

    [Fact]
    public void No_pinvoke()
    {
        var bad = Types()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<DllImportAttribute>() is not null || m.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
            .ToList();
        Assert.Empty(bad);
    }
}
