using System.CommandLine;
using System.Text.Json;
using PortSelection.Validator.Probe;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Cli;

/// <summary><c>portsel cleanup</c>: removes leftovers of a crashed run and reports them.</summary>
public static class CleanupCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Write the report as JSON." };
        var cmd = new Command("cleanup",
            "Remove leftovers of crashed runs: network namespaces and cgroup v2 directories portsel-<pid>-<n> whose creator is dead, " +
            "pinned /sys/fs/bpf/portsel* objects. Those of live runs are listed, not touched.");
        cmd.Options.Add(json);
        cmd.SetAction(parse =>
        {
            if (LibC.GetEuid() != 0)
            {
                Console.Error.WriteLine("portsel: cleanup needs root (ip netns del, rmdir in the cgroup v2 hierarchy)");
                return CliApp.Unavailable;
            }
            var report = NamespaceJanitor.Cleanup();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    removed = report.Count(r => r.Action == "removed"),
                    items = report.Select(r => new { kind = r.Kind, name = r.Name, creator_pid = r.CreatorPid, action = r.Action }),
                }));
            }
            else if (report.Count == 0)
                Console.Out.WriteLine("nothing to clean up");
            else
                foreach (var r in report)
                    Console.Out.WriteLine($"{r.Kind} {r.Name}{(r.CreatorPid > 0 ? $" (pid {r.CreatorPid})" : "")}: {r.Action}");
            return report.Any(r => r.Action.StartsWith("failed", StringComparison.Ordinal)) ? CliApp.Unavailable : CliApp.Ok;
        });
        return cmd;
    }
}
