using System.CommandLine;

namespace PortSelection.Validator.Cli;

/// <summary>The <c>portsel</c> command line: builds the command tree and maps failures to exit codes.</summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code when a validation disagrees with the kernel beyond tolerance.</summary>
    public const int Disagreement = 1;
    /// <summary>Exit code for bad input (one-line message, no stack trace).</summary>
    public const int BadInput = 2;
    /// <summary>Exit code when live-kernel work is impossible here (not root, no BPF).</summary>
    public const int Unavailable = 3;

    /// <summary>Builds the root command with every sub-command.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "portsel — model of Linux TCP local-port selection (connect()/bind()) and listen queues, " +
            "validated against the live kernel.");
        foreach (var c in Commands()) root.Subcommands.Add(c);
        return root;
    }

    private static IEnumerable<Command> Commands()
    {
        yield return WhatifCommand.Create();
        yield return SimulateCommand.Create();
        yield return DoctorCommand.Create();
        yield return ExplainCommand.Create();
        yield return FillCommand.Create();
        yield return ProbeCommand.Create();
        yield return LiveFillCommand.Create();
        yield return CleanupCommand.Create();
        yield return BacklogCommand.Create();
        yield return ValidateCommand.Create();
        yield return BenchProbeCommand.Create();
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            if (r.Command is not RootCommand) names.Insert(0, r.Command.Name);
        return names;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Parses and runs <paramref name="args"/> writing to the given streams; returns the process exit code.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRoot();
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                var message = string.Join(' ', parse.Errors[0].Message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()));
                error.WriteLine($"portsel: {message} (see 'portsel {string.Join(' ', CommandPath(parse))} --help')");
                return BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            error.WriteLine($"portsel: {e.Message}");
            return BadInput;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            // Live-kernel work failed (namespace, setns, sockets, interrupted run): one line, exit 3.
            error.WriteLine($"portsel: {e.Message}");
            return Unavailable;
        }
    }
}

/// <summary>Bad input: becomes a one-line message and exit code 2 at the CLI boundary.</summary>
public sealed class UsageException(string message) : Exception(message);
