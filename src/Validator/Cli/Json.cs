using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PortSelection.Validator.Cli;

/// <summary>JSON output conventions: snake_case names chosen by the commands, indented, stable order.</summary>
public static class Json
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes <paramref name="node"/> to standard output.</summary>
    public static void Print(JsonNode node) => Console.Out.WriteLine(node.ToJsonString(Options));

    /// <summary>Kebab-case name of an enum value (BindOwned → bind-owned).</summary>
    public static string Kebab<T>(T value) where T : struct, Enum
    {
        var s = value.ToString();
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (i > 0 && char.IsUpper(s[i]) && !char.IsUpper(s[i - 1])) sb.Append('-');
            sb.Append(char.ToLowerInvariant(s[i]));
        }
        return sb.ToString();
    }
}
