using System.Text.Json;
using System.Text.Json.Nodes;

namespace PortSelection.Validator.Compare;

/// <summary>
/// A recorded live run of a check whose evidence is user-side observations rather than probe events
/// (<c>validate timewait</c>, <c>validate bind</c>): one JSON object
/// <c>{"type":"portsel-observations","check":…,"kernel_release":…,"observations":…}</c>, written by <c>--record FILE</c>
/// and replayed by <c>--trace FILE</c> through the same comparison.
/// </summary>
public static class ObservationFile
{
    private const string TypeName = "portsel-observations";
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, IncludeFields = false };

    /// <summary>Writes <paramref name="observations"/> of <paramref name="check"/> recorded on <paramref name="kernelRelease"/>.</summary>
    public static void Write<T>(string path, string check, string kernelRelease, T observations)
    {
        var o = new JsonObject
        {
            ["type"] = TypeName,
            ["tool"] = "portsel",
            ["check"] = check,
            ["kernel_release"] = kernelRelease,
            ["observations"] = JsonSerializer.SerializeToNode(observations, Options),
        };
        File.WriteAllText(path, o.ToJsonString(Options) + "\n");
    }

    /// <summary>Reads a recording of <paramref name="check"/>.</summary>
    /// <exception cref="FormatException">Not a portsel observation file, or one of another check.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (string KernelRelease, T Observations) Read<T>(string path, string check)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new FormatException($"not a portsel observation file (one JSON object): {e.Message}"); }
        if (root is not JsonObject o || (string?)o["type"] != TypeName)
            throw new FormatException($"not a portsel observation file (\"type\":\"{TypeName}\"); record one with `portsel validate {check} --record FILE`");
        if ((string?)o["check"] is var recorded && recorded != check)
            throw new FormatException($"recorded by `validate {recorded}`, not `validate {check}`");
        var release = (string?)o["kernel_release"] ?? throw new FormatException("no kernel_release");
        try
        {
            var obs = o["observations"].Deserialize<T>(Options) ?? throw new FormatException("no observations");
            return (release, obs);
        }
        catch (JsonException e) { throw new FormatException($"observations: {e.Message}"); }
    }
}
