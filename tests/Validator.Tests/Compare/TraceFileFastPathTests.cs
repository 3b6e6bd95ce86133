using FsCheck;
using FsCheck.Fluent;
using PortSelection.Validator.Compare;

namespace PortSelection.Validator.Tests.Compare;

/// <summary>
/// <see cref="TraceFile.Read(string)"/> (event lines parsed in place from bytes) against the general line reader
/// (<see cref="TraceFile.Read(TextReader)"/>): the recorded traces, and mutated traces (numbers out of range or
/// fractional, unknown kinds and states, duplicate and extra fields, escapes, odd addresses and sockets, CRLF, blank
/// and broken lines), must give the same trace or the same error.
/// </summary>
public class TraceFileFastPathTests
{
    private static string DataPath(string name) =>
        new[] { Path.Combine(AppContext.BaseDirectory, "Data", name), Path.Combine(AppContext.BaseDirectory, "Compare", "Data", name) }
            .First(File.Exists);

    private static string Describe(TraceFile t) =>
        $"{t.KernelRelease}|{t.Hz}|{t.Jiffies}|{t.Backend}|{string.Join(",", t.Sysctls.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}"))}|{t.LostEvents}|" +
        string.Join(";", t.Events.Select(e => e.ToString()));

    private static string Outcome(Func<TraceFile> read)
    {
        try { return Describe(read()); }
        catch (FormatException e) { return "error: " + e.Message; }
    }

    private static void AssertSame(string path) =>
        Assert.Equal(Outcome(() => TraceFile.Read(new StreamReader(path))), Outcome(() => TraceFile.Read(path)));

    [Theory]
    [InlineData("ports-64.jsonl")]
    [InlineData("ports-64-cgroup.jsonl")]
    [InlineData("reserved-112.jsonl")]
    [InlineData("step1-64.jsonl")]
    public void Recorded_traces_read_the_same_on_both_paths(string name)
    {
        AssertSame(DataPath(name));
        Assert.NotEmpty(TraceFile.Read(DataPath(name)).Events);
    }

    private static readonly (string From, string To)[] Mutations =
    [
        ("\"pid\":", "\"pid\":-"), ("\"ts_ns\":", "\"ts_ns\":1.5e"), ("\"kind\":\"", "\"kind\":\"x"), ("\"kind\":\"scan_start\"", "\"kind\":\"kind_3\""),
        ("\"cpu\":", "\"cpu\":1,\"cpu\":"), ("{", "{\"extra\":[1,{\"a\":null}],"), ("\"type\":\"event\"", "\"type\":\"ev\\u0065nt\""),
        ("\"saddr\":\"127.0.0.1\"", "\"saddr\":\"127.0.0.01\""), ("\"saddr\":\"127.0.0.1\"", "\"saddr\":\"127.0.0.256\""),
        ("\"saddr\":\"127.0.0.1\"", "\"saddr\":\"127.0.0\""), ("\"sk\":\"0x", "\"sk\":\"0X"), ("\"sk\":\"0x", "\"sk\":\"0xz"),
        ("\"sk\":\"0x", "\"sk\":\"1x"), ("\"sk\":\"0x", "\"sk\":\"0x1234567890abcdef1"), ("\"sk\":\"0x", "\"sk\":\"0x 1"), ("\"new_state\":\"", "\"new_state\":\"TCP_"), ("\"new_state\":\"", "\"new_state\":\"1"),
        ("\"dport\":", "\"dport\":70000,\"x\":"), ("\"ret\":", "\"ret\":2147483648,\"y\":"), ("}", "} x"), ("}", "},"), ("\"", "'"),
        ("\"aux\":", "\"aux\":null,\"z\":"), ("\"family\":", "\"family\":\"2\",\"w\":"),
    ];

    [Fact]
    public void Mutated_traces_read_the_same_on_both_paths()
    {
        var lines = File.ReadAllLines(DataPath("ports-64.jsonl"));
        var dir = Directory.CreateTempSubdirectory("portsel-trace-");
        try
        {
            int n = 0;
            Prop.ForAll(Arb.From(
                from picks in Gen.ArrayOf(Gen.Choose(1, lines.Length - 1), 12)
                from muts in Gen.ArrayOf(Gen.Choose(-6, Mutations.Length - 1), 12)
                from crlf in Gen.Elements(false, false, true)
                from blankEnd in Gen.Elements(0, 1, 2)
                select (picks, muts, crlf, blankEnd)), x =>
            {
                var body = new List<string> { lines[0] };
                for (int k = 0; k < x.picks.Length; k++)
                {
                    var line = lines[x.picks[k]];
                    int m = x.muts[k % x.muts.Length];
                    if (m >= 0)
                    {
                        var (from, to) = Mutations[m];
                        int at = line.IndexOf(from, StringComparison.Ordinal);
                        if (at >= 0) line = line[..at] + to + line[(at + from.Length)..];
                    }
                    else if (m == -1) line = "   ";
                    body.Add(line);
                }
                var path = Path.Combine(dir.FullName, $"t{n++}.jsonl");
                var nl = x.crlf ? "\r\n" : "\n";
                File.WriteAllText(path, string.Join(nl, body) + (x.blankEnd == 0 ? "" : x.blankEnd == 1 ? nl : nl + nl));
                AssertSame(path);
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(400));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
