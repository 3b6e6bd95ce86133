using System.IO.Compression;
using PortSelection.Validator.Probe;

namespace PortSelection.Validator.Tests.Probe;

/// <summary>Live: the loader tries fentry → kprobe → tracepoint → classic and explains each failure.</summary>
[Collection(LiveCollection.Name)]
public sealed class BackendFallbackLiveTests(ITestOutputHelper output)
{
    [Fact]
    public void Falls_back_in_order_with_clear_reasons()
    {
        LiveEnvironment.RequireOrSkip();
        using var session = LiveEnvironment.OrSkip(() => ProbeSession.Open());
        foreach (var a in session.Attempts) output.WriteLine($"{a.Backend}: ok={a.Succeeded} {a.Reason}");

        var tried = session.Attempts.Select(a => a.Backend).ToList();
        ProbeBackend[] order = [ProbeBackend.Fentry, ProbeBackend.Kprobe, ProbeBackend.Tracepoint, ProbeBackend.Classic];
        Assert.Equal(order[..tried.Count], tried);
        Assert.True(session.Attempts[^1].Succeeded);
        Assert.Equal(session.Attempts[^1].Backend, session.Backend);
        foreach (var failed in session.Attempts.SkipLast(1))
        {
            Assert.False(failed.Succeeded);
            Assert.Matches(@"E[A-Z0-9]+ \(", failed.Reason); // names the errno
            Assert.Contains("failed", failed.Reason, StringComparison.Ordinal);
        }

        // On this machine kind (probe-notes.md §1): fentry is refused at load, kprobes are compiled out.
        if (KprobesCompiledOut())
        {
            var kprobe = session.Attempts.Single(a => a.Backend == ProbeBackend.Kprobe);
            Assert.False(kprobe.Succeeded);
            Assert.Contains("ENOENT", kprobe.Reason, StringComparison.Ordinal);
            Assert.Contains("attach", kprobe.Reason, StringComparison.Ordinal);
            var fentry = session.Attempts.Single(a => a.Backend == ProbeBackend.Fentry);
            Assert.False(fentry.Succeeded);
            Assert.Equal(ProbeBackend.Tracepoint, session.Backend);
        }
    }

    [Fact]
    public void Connect_record_order_tries_the_cgroup_backend_before_the_tracepoints()
    {
        LiveEnvironment.RequireOrSkip();
        using var session = LiveEnvironment.OrSkip(() => ProbeSession.Open(new ProbeOptions { Backends = ProbeBackendSpec.ConnectRecordOrder }));
        foreach (var a in session.Attempts) output.WriteLine($"{a.Backend}: ok={a.Succeeded} {a.Reason}");
        var tried = session.Attempts.Select(a => a.Backend).ToList();
        Assert.Equal(ProbeBackendSpec.ConnectRecordOrder.Take(tried.Count), tried);
        foreach (var failed in session.Attempts.SkipLast(1))
        {
            Assert.False(failed.Succeeded);
            Assert.Matches(@"E[A-Z0-9]+ \(|cgroup", failed.Reason);
        }
        // On this machine kind (probe-notes.md §1): fentry and kprobes fail, cgroup v2 programs work.
        if (KprobesCompiledOut() && ProbeCgroup.MountPoint() is not null)
        {
            Assert.Equal(ProbeBackend.Cgroup, session.Backend);
            Assert.Equal(ProbeMode.Compact, session.Mode);
            Assert.Contains(session.CgroupPath!, session.Attempts[^1].Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_single_unavailable_backend_gives_a_one_line_reason()
    {
        LiveEnvironment.RequireOrSkip();
        if (!KprobesCompiledOut()) Assert.Skip("kprobes work on this kernel; nothing to check");
        var e = Assert.Throws<ProbeUnavailableException>(() => ProbeSession.Open(new ProbeOptions { Backends = [ProbeBackend.Kprobe] }));
        Assert.Contains("kprobe", e.Message, StringComparison.Ordinal);
        Assert.Contains("ENOENT", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", e.Message, StringComparison.Ordinal);
    }

    private static bool KprobesCompiledOut()
    {
        if (!File.Exists("/proc/config.gz")) return false;
        using var r = new StreamReader(new GZipStream(File.OpenRead("/proc/config.gz"), CompressionMode.Decompress));
        return r.ReadToEnd().Contains("# CONFIG_KPROBES is not set", StringComparison.Ordinal);
    }
}
