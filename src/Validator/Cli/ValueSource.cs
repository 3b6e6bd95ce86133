namespace PortSelection.Validator.Cli;

/// <summary>Where a setting of a command came from (shown in its output).</summary>
public enum ValueSource
{
    /// <summary>Given on the command line.</summary>
    Flag,
    /// <summary>Read from the running system (<c>/proc/sys</c>).</summary>
    Host,
    /// <summary>The kernel era's default (listen-queues.md).</summary>
    EraDefault,
}

/// <summary>Text forms of <see cref="ValueSource"/>.</summary>
public static class ValueSourceText
{
    /// <summary>"flag", "host" or "era-default".</summary>
    /// <param name="source">The source.</param>
    public static string ToText(this ValueSource source) => source switch
    {
        ValueSource.Flag => "flag",
        ValueSource.Host => "host",
        _ => "era-default",
    };
}
