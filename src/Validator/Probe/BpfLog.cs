using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>
/// Routes libbpf's print callback to our log: to stderr when <see cref="Verbose"/> is set,
/// otherwise collected (the last <see cref="Capacity"/> lines) for error messages and tests.
/// </summary>
public static unsafe class BpfLog
{
    /// <summary>How many collected lines are kept.</summary>
    public const int Capacity = 4000;

    private static readonly ConcurrentQueue<string> Lines = new();
    private static int _installed;

    /// <summary>When true, every libbpf message (including debug) is also written to stderr.</summary>
    public static bool Verbose { get; set; }

    /// <summary>Installs the callback once per process (idempotent).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            LibBpf.SetPrint(&Print);
    }

    /// <summary>A snapshot of the collected lines, oldest first.</summary>
    public static IReadOnlyList<string> Snapshot() => Lines.ToArray();

    /// <summary>The last warning-level lines that mention <paramref name="needle"/> (for reasons).</summary>
    public static string? LastMatching(string needle) =>
        Lines.ToArray().LastOrDefault(l => l.Contains(needle, StringComparison.Ordinal));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Print(int level, IntPtr fmt, IntPtr args)
    {
        if (level > 1 && !Verbose) return 0; // debug lines are neither kept nor shown: do not even format them
        byte* buf = null;
        try
        {
            // Large enough for a whole verifier log (libbpf prints it as one message); the va_list can be used once.
            const int size = 256 * 1024;
            buf = (byte*)NativeMemory.Alloc(size);
            var n = LibC.Vsnprintf(buf, size, fmt, args);
            if (n < 0) return 0;
            var text = Marshal.PtrToStringUTF8((IntPtr)buf, Math.Min(n, size - 1)).TrimEnd('\n');
            var tag = level switch { 0 => "warn", 1 => "info", _ => "debug" };
            if (level <= 1)
            {
                Lines.Enqueue($"libbpf {tag}: {text}");
                while (Lines.Count > Capacity && Lines.TryDequeue(out _)) { }
            }
            if (Verbose) Console.Error.WriteLine($"libbpf {tag}: {text}");
        }
        catch
        {
            // Never let an exception cross the native boundary.
        }
        finally
        {
            if (buf != null) NativeMemory.Free(buf);
        }
        return 0;
    }
}
