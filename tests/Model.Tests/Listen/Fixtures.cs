using PortSelection.Model.Kernel;
using PortSelection.Model.Listen;

namespace PortSelection.Model.Tests.Listen;

/// <summary>Representative kernels of the §0 columns and the §9 namespace defaults.</summary>
internal static class Fixtures
{
    public static ListenQueueProfile P(string release) => KernelProfile.FromRelease(release).Listen;

    /// <summary>§9: fresh netns on the 6.18.44 host: somaxconn 4096, tcp_max_syn_backlog 2048, syncookies 1, synack 5.</summary>
    public static ListenSysctls Live618 => new(4096, 2048, 1, false, 5);

    /// <summary>§9: client defaults on 6.18: tcp_syn_retries 6, tcp_syn_linear_timeouts 4.</summary>
    public static ClientSynOptions LiveClient => new(6, 4);

    public static readonly string[] OldColumn = ["2.6.32", "3.10.108", "4.2.8"];
    public static readonly string[] Col44 = ["4.4.1", "4.9.0"];
    public static readonly string[] Col410 = ["4.10", "4.19.222", "5.4.6", "5.10.13"];
    public static readonly string[] Col512 = ["5.12", "5.4.117", "5.10.35", "5.15.215", "6.1.166", "6.18.44"];
    public static IEnumerable<string> All => OldColumn.Concat(Col44).Concat(Col410).Concat(Col512);
}
