using System.CommandLine;
using PortSelection.Model.Kernel;

namespace PortSelection.Validator.Cli;

/// <summary>The <c>--kernel</c> / <c>--era</c> pair shared by the model commands.</summary>
public sealed class KernelOptions
{
    /// <summary><c>--kernel</c>.</summary>
    public Option<string?> Kernel { get; } = new("--kernel")
    {
        Description = "Kernel release to model, e.g. 6.18.44, 5.10.125, 4.19.249 or 3.10.0-1160.el7 " +
                      "(stable backports of 2022 are recognised). Default: the running kernel.",
    };

    /// <summary><c>--era</c>.</summary>
    public Option<string?> Era { get; } = new("--era")
    {
        Description = "Era instead of a release: A (3.13), B (4.4), C (5.10.13), D (5.15.0), E (5.18). " +
                      "Later switches (step 1, RCU pre-check, 6.18 bucket release) need --kernel.",
    };

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Kernel);
        command.Options.Add(Era);
    }

    /// <summary>The chosen profile and a note on where it came from.</summary>
    /// <exception cref="UsageException">Bad or conflicting values.</exception>
    public (KernelProfile Profile, string Source) Resolve(ParseResult parse)
    {
        var kernel = parse.GetValue(Kernel);
        var era = parse.GetValue(Era);
        if (kernel is not null && era is not null)
            throw new UsageException("give either --kernel or --era, not both");
        if (era is not null)
        {
            if (!Enum.TryParse<ConnectEra>(era.Trim(), ignoreCase: true, out var e) || !Enum.IsDefined(e) || era.Trim().Length != 1)
                throw new UsageException($"--era '{era}' is not an era; accepted: A, B, C, D, E");
            return (KernelProfile.ForEra(e), $"era {e}");
        }
        if (kernel is not null)
        {
            if (!KernelProfile.TryFromRelease(kernel, out var p, out var error)) throw new UsageException($"--kernel: {error}");
            return (p!, "--kernel");
        }
        var running = RunningSystem.KernelRelease();
        if (running is not null && KernelProfile.TryFromRelease(running, out var rp, out _)) return (rp!, "running kernel");
        return (KernelProfile.FromRelease("6.18"), "default (running kernel unreadable)");
    }
}
