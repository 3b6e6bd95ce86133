using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PortSelection.Model.Hashing;
using PortSelection.Model.Kernel;
using PortSelection.Model.Ports;
using PortSelection.Model.Selection;

namespace PortSelection.Validator.Cli;

/// <summary><c>portsel explain</c>: one connect() or bind(0) scan, candidate by candidate.</summary>
public static class ExplainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var kernel = new KernelOptions();
        var op = new Option<string>("--op") { Description = "What to explain: connect (autobind scan of __inet_hash_connect) or bind0 (bind() with port 0).", DefaultValueFactory = _ => "connect" };
        var range = new Option<string?>("--range") { Description = "ip_local_port_range as LOW-HIGH, e.g. 32768-60999. Default: the era's default." };
        var reserved = new Option<string?>("--reserved") { Description = "ip_local_reserved_ports in sysctl syntax, e.g. 8080,9000-9100." };
        var bindOwned = new Option<string?>("--bind-owned") { Description = "Ports held by bind() users (BindOwned: connect() skips them), e.g. 32772,32773." };
        var busy = new Option<string?>("--busy") { Description = "Ports connected to this same destination (ConnectOwned, 4-tuple taken)." };
        var shared = new Option<string?>("--shared") { Description = "Ports connected only to other destinations (ConnectOwned, usable by connect())." };
        var portOffset = new Option<string?>("--port-offset") { Description = "port_offset as decimal or 0x-hex: u32 before era E, u64 in era E (index = low bits, offset = high 32 bits)." };
        var secret = new Option<string?>("--secret") { Description = "Boot secret instead of --port-offset: 32 hex digits (SipHash key, 4.11+) or 128 hex digits (MD5 net_secret, 3.1-4.10)." };
        var saddr = new Option<string>("--saddr") { Description = "Source address.", DefaultValueFactory = _ => "127.0.0.1" };
        var daddr = new Option<string>("--daddr") { Description = "Destination address.", DefaultValueFactory = _ => "127.0.0.1" };
        var dport = new Option<int>("--dport") { Description = "Destination port (1-65535).", DefaultValueFactory = _ => 80 };
        var timeseed = new Option<string>("--timeseed") { Description = "Era E time seed jiffies/(10*HZ) used with --secret.", DefaultValueFactory = _ => "0" };
        var hint = new Option<string?>("--hint") { Description = "Eras A-C: the global hint before the scan (default 0)." };
        var tableValue = new Option<string?>("--table-value") { Description = "Eras D-E: table_perturb[index] before the scan (default 0)." };
        var order = new Option<int?>("--perturb-order") { Description = "Era E: CONFIG_INET_TABLE_PERTURB_ORDER, log2 of the table size (default 16)." };
        var rand8 = new Option<int?>("--rand8") { Description = "Era E: the draw r in 0..7 used at success (T += max(i, r*step) + step). Default: drawn from --seed." };
        var rand16 = new Option<int?>("--rand16") { Description = "Era D: the draw in 0..15 (0 turns i = 0 into i = 2). Default: drawn from --seed." };
        var sockRange = new Option<string?>("--per-socket-range") { Description = "IP_LOCAL_PORT_RANGE as LO-HI or the raw u32 (e.g. 0xFFFF0000), clamped like the kernel; 6.8+ scans with step 1." };
        var draws = new Option<string?>("--draws") { Description = "bind0: the random offsets below remaining, d1[,d2] (one per half/relax pass)." };
        var reuse = new Option<bool>("--reuseaddr") { Description = "bind0: SO_REUSEADDR (scan the lower part of the range first)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed for draws not given explicitly.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON: port, error, port_offset, index, start_offset, candidates, counters, state_after." };

        var cmd = new Command("explain",
            "Explain one port choice candidate by candidate: which ports the kernel examines, the verdict for each, " +
            "the chosen port (or EADDRNOTAVAIL/EADDRINUSE), the work done and the hint/table update.\n\n" +
            "Example (port-selection.md §7, example 1e):\n" +
            "  portsel explain --kernel 6.18 --range 32768-32783 --reserved 32770 --bind-owned 32772,32773 \\\n" +
            "    --busy 32774,32776,32778 --port-offset 0x123456789ABCDEF0 --table-value 0x0BADF00D --rand8 0");
        kernel.AddTo(cmd);
        foreach (var o in new Option[] { op, range, reserved, bindOwned, busy, shared, portOffset, secret, saddr, daddr, dport, timeseed, hint, tableValue, order, rand8, rand16, sockRange, draws, reuse, seed, json })
            cmd.Options.Add(o);

        cmd.SetAction(parse =>
        {
            var (profile, profileSource) = kernel.Resolve(parse);
            string opName = parse.GetValue(op)!.Trim().ToLowerInvariant();
            if (opName is not ("connect" or "bind0")) throw new UsageException($"--op '{opName}': accepted values are connect, bind0");
            var cfg = NamespaceConfig.DefaultsFor(profile);
            if (parse.GetValue(range) is { } rt) cfg = cfg with { Range = Parsing.Range("--range", rt) };
            cfg = cfg with { Reserved = Parsing.Ports("--reserved", parse.GetValue(reserved)) };
            var (errors, validationWarnings) = cfg.Validate(profile);
            var warnings = validationWarnings.ToList();
            if (errors.Count > 0) throw new UsageException(errors[0]);

            var src = Parsing.Address("--saddr", parse.GetValue(saddr)!);
            var dst = Parsing.Address("--daddr", parse.GetValue(daddr)!);
            int dp = parse.GetValue(dport);
            if (dp is < 1 or > 65535) throw new UsageException($"--dport {dp}: accepted 1-65535");

            // port_offset: explicit, or from the secret and the destination.
            ulong offset;
            string offsetSource;
            ulong offMax = profile.PortOffset == PortOffsetAlgorithm.SipHash64WithTimeSeed ? ulong.MaxValue : uint.MaxValue;
            if (parse.GetValue(portOffset) is { } po)
            {
                if (parse.GetValue(secret) is not null) throw new UsageException("give either --port-offset or --secret, not both");
                offset = Parsing.Number("--port-offset", po, offMax);
                offsetSource = "--port-offset";
            }
            else
            {
                var secretText = parse.GetValue(secret);
                offset = ComputeOffset(profile, secretText, src, dst, dp, (uint)Parsing.Number("--timeseed", parse.GetValue(timeseed)!, uint.MaxValue));
                offsetSource = secretText is null ? "computed with an all-zero secret (give --port-offset or --secret)" : "computed from --secret";
            }

            bool table = profile.PerturbOrder > 0;
            if (table && parse.GetValue(hint) is not null) throw new UsageException($"--hint applies to eras A-C; kernel {profile.Version} is era {profile.Era}: use --table-value");
            if (!table && parse.GetValue(tableValue) is not null) throw new UsageException($"--table-value applies to eras D-E; kernel {profile.Version} is era {profile.Era}: use --hint");
            if (!table && parse.GetValue(order) is not null) throw new UsageException("--perturb-order applies to era E only");
            int perturbOrder = parse.GetValue(order) ?? profile.PerturbOrder;
            if (profile.Era == ConnectEra.D && perturbOrder != 8) throw new UsageException("--perturb-order: era D has a fixed 256-entry table (order 8)");
            if (table && perturbOrder is < 1 or > 24) throw new UsageException($"--perturb-order {perturbOrder}: accepted 1-24");
            uint state = (uint)Parsing.Number(table ? "--table-value" : "--hint", parse.GetValue(table ? tableValue : hint) ?? "0", uint.MaxValue);
            var perturb = new PerturbState(table ? perturbOrder : 0, null, fillValue: state, hint: state);

            var r8 = parse.GetValue(rand8);
            if (r8 is < 0 or > 7) throw new UsageException($"--rand8 {r8}: accepted 0-7");
            var r16 = parse.GetValue(rand16);
            if (r16 is < 0 or > 15) throw new UsageException($"--rand16 {r16}: accepted 0-15");
            var belowDraws = parse.GetValue(draws) is { } dt ? Parsing.Numbers("--draws", dt, uint.MaxValue).Select(v => (uint)v).ToList() : [];
            var rng = new ScriptedDraws(r8 is null ? null : [r8.Value], r16 is null ? null : [r16.Value], belowDraws, new SeededDraws(parse.GetValue(seed)));

            var sock = PerSocketRange.Unset;
            if (parse.GetValue(sockRange) is { } sr)
            {
                if (!PerSocketRange.TryParse(sr, out sock, out var sre)) throw new UsageException($"--per-socket-range: {sre}");
                if (!profile.PerSocketRangeClamp) warnings.Add($"IP_LOCAL_PORT_RANGE does not exist on {profile.Version} (6.3+, 6.1.32+): ignored");
            }

            var host = new KernelHost(profile, rng, new FixedPortOffset(offset), perturb: perturb);
            int ns = host.AddNamespace(cfg);
            var sets = new (string Name, PortBitmap Ports)[]
            {
                ("--bind-owned", Parsing.Ports("--bind-owned", parse.GetValue(bindOwned))),
                ("--busy", Parsing.Ports("--busy", parse.GetValue(busy))),
                ("--shared", Parsing.Ports("--shared", parse.GetValue(shared))),
            };
            for (int a = 0; a < sets.Length; a++)
                for (int b = a + 1; b < sets.Length; b++)
                    foreach (var p in sets[a].Ports.Ports())
                        if (sets[b].Ports.Contains(p)) throw new UsageException($"port {p} is in both {sets[a].Name} and {sets[b].Name}");
            foreach (var p in sets[0].Ports.Ports())
                if (p == 0 || host.PlaceBinding(ns, p, src) is null) throw new UsageException($"--bind-owned: port {p} cannot be bound");
            int otherPort = dp == 65535 ? dp - 1 : dp + 1;
            foreach (var p in sets[1].Ports.Ports()) host.PlaceConnection(ns, new FourTuple(src, p, dst, dp));
            foreach (var p in sets[2].Ports.Ports()) host.PlaceConnection(ns, new FourTuple(src, p, dst, otherPort));

            JsonObject result;
            if (opName == "connect")
            {
                var sk = host.Socket(ns, new SocketOptions { LocalPortRange = sock });
                var r = host.Connect(sk, dst, dp, record: true, routedSource: src);
                result = ConnectJson(profile, r);
                if (!parse.GetValue(json)) PrintConnect(profile, profileSource, offsetSource, cfg, r, warnings);
            }
            else
            {
                var sk = host.Socket(ns, new SocketOptions { LocalPortRange = sock, Reuse = parse.GetValue(reuse) });
                var r = host.BindSocket(sk, Ipv4Address.Any, 0, record: true);
                result = BindJson(profile, r);
                if (!parse.GetValue(json)) PrintBind(profile, profileSource, cfg, r, warnings);
            }
            if (parse.GetValue(json))
            {
                result["warnings"] = new JsonArray(warnings.Select(w => (JsonNode)w).ToArray());
                Json.Print(result);
            }
            return CliApp.Ok;
        });
        return cmd;
    }

    private static ulong ComputeOffset(KernelProfile profile, string? secretText, Ipv4Address src, Ipv4Address dst, int dport, uint timeseed)
    {
        NetSecret secret;
        bool md5 = profile.PortOffset == PortOffsetAlgorithm.Md5;
        var text = secretText?.Trim() ?? new string('0', md5 ? 128 : 32);
        if (md5)
        {
            if (text.Length != 128 || !text.All(char.IsAsciiHexDigit))
                throw new UsageException($"--secret: kernel {profile.Version} hashes with MD5; expected 128 hexadecimal digits (16 little-endian u32 words)");
            var words = new uint[16];
            for (int i = 0; i < 16; i++)
            {
                var bytes = Convert.FromHexString(text.Substring(i * 8, 8));
                words[i] = BitConverter.ToUInt32(bytes);
            }
            secret = NetSecret.FromMd5Words(words);
        }
        else
        {
            if (!SipKey.TryParse(text, out var key, out var error)) throw new UsageException($"--secret: {error}");
            secret = NetSecret.FromSipKey(key);
        }
        if (!PortOffset.TryComputeIpv4(profile.PortOffset, src.Be32, dst.Be32, (ushort)dport, secret, timeseed, out var offset, out var err))
            throw new UsageException($"{err}");
        return offset;
    }

    internal static JsonArray CandidatesJson(IEnumerable<ScanCandidate> candidates, bool withHalf) =>
        new(candidates.Select(c =>
        {
            var o = new JsonObject { ["pass"] = c.Pass, ["i"] = c.I, ["port"] = c.Port, ["verdict"] = Json.Kebab(c.Verdict), ["detail"] = c.Detail };
            if (withHalf) { o["half"] = c.Half; o["relax"] = c.Relax; }
            return (JsonNode)o;
        }).ToArray());

    internal static JsonObject CountersJson(ScanCounters n) => new()
    {
        ["candidates"] = n.Candidates, ["reserved"] = n.Reserved, ["probes"] = n.Probes, ["bind_owned"] = n.BindOwned,
        ["tuple_checks"] = n.TupleChecks, ["bhash_nodes"] = n.BhashNodes, ["ehash_nodes"] = n.EhashNodes,
        ["locks"] = n.Locks, ["ehash_locks"] = n.EhashLocks, ["time_wait_matches"] = n.TimeWaitMatches, ["rescheds"] = n.Rescheds,
    };

    private static JsonObject ConnectJson(KernelProfile profile, ConnectResult r) => new()
    {
        ["op"] = "connect",
        ["kernel"] = profile.Version.ToString(),
        ["era"] = profile.Era.ToString(),
        ["port"] = r.Port,
        ["error"] = r.Error == PortError.None ? null : r.Error.ToString(),
        ["port_offset"] = $"0x{r.PortOffset:X}",
        ["index"] = r.Index,
        ["start_offset"] = r.StartOffset,
        ["range"] = r.ScanRange.ToString(),
        ["remaining"] = r.Remaining,
        ["step"] = r.Step,
        ["i"] = r.Port is null ? null : r.I,
        ["pass"] = r.Port is null ? null : r.Pass,
        ["draw"] = r.Draw,
        ["state_kind"] = profile.PerturbOrder > 0 ? "table_perturb[index]" : "hint",
        ["state_before"] = r.StateBefore,
        ["state_after"] = r.StateAfter,
        ["candidates"] = CandidatesJson(r.Candidates, withHalf: false),
        ["counters"] = CountersJson(r.Counters),
    };

    private static JsonObject BindJson(KernelProfile profile, BindResult r) => new()
    {
        ["op"] = "bind0",
        ["kernel"] = profile.Version.ToString(),
        ["era"] = profile.Era.ToString(),
        ["port"] = r.Port,
        ["error"] = r.Error == PortError.None ? null : r.Error.ToString(),
        ["draws"] = new JsonArray(r.Draws.Select(d => (JsonNode)d).ToArray()),
        ["candidates"] = CandidatesJson(r.Candidates, withHalf: true),
        ["counters"] = CountersJson(r.Counters),
    };

    private static void Header(KernelProfile profile, string profileSource, NamespaceConfig cfg, List<string> warnings)
    {
        Console.WriteLine($"kernel   {profile} [{profileSource}]");
        Console.WriteLine($"range    {cfg.Range} ({cfg.Range.Count} ports)   reserved {(cfg.Reserved.Count == 0 ? "none" : cfg.Reserved.ToString())}");
        foreach (var w in warnings) Console.WriteLine($"warning  {w}");
    }

    private static void Table(IEnumerable<ScanCandidate> candidates, bool half)
    {
        Console.WriteLine(half ? "  half pass     i   port  verdict     detail" : "  pass     i   port  verdict     detail");
        foreach (var c in candidates)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {(half ? $"{c.Half,4} " : "")}{c.Pass,4} {c.I,5} {c.Port,6}  {Json.Kebab(c.Verdict),-10}  {c.Detail}{(c.Relax ? " (relax pass)" : "")}"));
    }

    private static void PrintConnect(KernelProfile profile, string profileSource, string offsetSource, NamespaceConfig cfg, ConnectResult r, List<string> warnings)
    {
        Header(profile, profileSource, cfg, warnings);
        string state = profile.PerturbOrder > 0 ? $"table_perturb[{r.Index}]" : "hint";
        Console.WriteLine($"offset   port_offset 0x{r.PortOffset:X} ({offsetSource}); {state} = 0x{r.StateBefore:X8}; start offset {r.StartOffset}; " +
                          $"scan {r.ScanRange}, remaining {r.Remaining}, step {r.Step}");
        Table(r.Candidates, half: false);
        if (r.Port is int port)
        {
            string draw = r.Draw is int d ? profile.Era == ConnectEra.D ? $" (rand16 {d})" : $" (rand8 {d})" : "";
            Console.WriteLine($"result   port {port} at pass {r.Pass}, i = {r.I}; {state} 0x{r.StateBefore:X8} -> 0x{r.StateAfter:X8}{draw}" +
                              (r.ReusedTimeWait is not null ? "; TIME_WAIT socket recycled" : ""));
        }
        else Console.WriteLine($"result   EADDRNOTAVAIL after {r.Counters.Candidates} candidates; {state} unchanged");
        PrintCounters(r.Counters);
    }

    private static void PrintBind(KernelProfile profile, string profileSource, NamespaceConfig cfg, BindResult r, List<string> warnings)
    {
        Header(profile, profileSource, cfg, warnings);
        Console.WriteLine($"draws    {string.Join(", ", r.Draws)} (offset = draw | 1: the parity opposite to connect() first)");
        Table(r.Candidates, half: true);
        Console.WriteLine(r.Port is int p ? $"result   port {p}" : "result   EADDRINUSE");
        PrintCounters(r.Counters);
    }

    private static void PrintCounters(ScanCounters n) =>
        Console.WriteLine($"work     {n.Candidates} candidates, {n.Reserved} reserved, {n.Probes} probes, {n.BindOwned} bind-owned, " +
                          $"{n.TupleChecks} 4-tuple checks, {n.BhashNodes}+{n.EhashNodes} bhash+ehash nodes, {n.Locks} bucket locks, " +
                          $"{n.EhashLocks} ehash locks, {n.Rescheds} cond_resched");
}
