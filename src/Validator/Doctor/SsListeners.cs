using System.Globalization;
using System.Net;
using PortSelection.Validator.Scenarios;

namespace PortSelection.Validator.Doctor;

/// <summary>
/// Fallback source of listener backlogs: the output of <c>ss -Hlnt</c> (State, Recv-Q = A, Send-Q = B, Local, Peer;
/// listen-queues.md §7.2).
/// </summary>
public static class SsListeners
{
    /// <summary>Parses <c>ss -Hlnt</c> text; lines that are not LISTEN rows are ignored. <c>*</c> yields both 0.0.0.0 and ::.</summary>
    public static List<SockDiag.ListenerInfo> Parse(string text)
    {
        var list = new List<SockDiag.ListenerInfo>();
        foreach (var raw in text.Split('\n'))
        {
            var f = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 4 || f[0] != "LISTEN") continue;
            if (!long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rq) ||
                !long.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var wq)) continue;
            var local = f[3];
            int colon = local.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(local[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)) continue;
            var addr = local[..colon].Trim('[', ']');
            int pct = addr.IndexOf('%');
            if (pct >= 0) addr = addr[..pct];
            if (addr == "*")
            {
                list.Add(new(false, "0.0.0.0", port, rq, wq));
                list.Add(new(true, "::", port, rq, wq));
                continue;
            }
            if (!IPAddress.TryParse(addr, out var ip)) continue;
            bool v6 = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !ip.IsIPv4MappedToIPv6;
            string text2 = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : ip.Equals(IPAddress.IPv6Any) ? "::" : ip.ToString();
            list.Add(new(v6, text2, port, rq, wq));
        }
        return list;
    }

    /// <summary>Runs <c>ss -Hlnt</c> in the caller's namespace; false with a reason when it is missing or fails.</summary>
    public static bool TryRun(out List<SockDiag.ListenerInfo> listeners, out string? error)
    {
        listeners = [];
        error = null;
        try
        {
            var r = ExternalTool.Run("ss", ["-Hlnt"], TimeSpan.FromSeconds(10));
            if (!r.Ok) { error = $"ss -Hlnt failed: {r.StdErr.Trim()}"; return false; }
            listeners = Parse(r.StdOut);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or TimeoutException)
        {
            error = $"ss -Hlnt: {e.Message}";
            return false;
        }
    }
}
