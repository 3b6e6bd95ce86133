namespace PortSelection.Validator.Probe;

/// <summary>
/// tracefs at <c>/sys/kernel/tracing</c>: classic tracepoints (<see cref="ProbeBackend.Classic"/>) attach
/// through it (libbpf reads <c>events/CATEGORY/NAME/id</c>), and a fresh machine of this kind does not mount it.
/// </summary>
public static class Tracefs
{
    /// <summary>The mount point libbpf and the project use.</summary>
    public const string MountPoint = "/sys/kernel/tracing";

    /// <summary>The one-line reason the classic backend gives when tracefs is not mounted.</summary>
    public const string NotMountedReason =
        "classic tracepoints need tracefs mounted at /sys/kernel/tracing: mount -t tracefs nodev /sys/kernel/tracing";

    /// <summary>True when a tracefs is mounted at <see cref="MountPoint"/> in this mount namespace
    /// (read from <c>/proc/self/mountinfo</c>).</summary>
    public static bool IsMounted()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS"
                var f = line.Split(' ');
                if (f.Length < 7 || f[4] != MountPoint) continue;
                var dash = Array.IndexOf(f, "-");
                if (dash > 0 && dash + 1 < f.Length && f[dash + 1] == "tracefs") return true;
            }
        }
        catch (IOException)
        {
        }
        return false;
    }

    /// <summary>
    /// Mounts tracefs at <see cref="MountPoint"/> unless it already is; disposing the result unmounts it again
    /// only if this call mounted it, so the machine is left as it was found. Mounting creates no tracing
    /// instance, enables no event and writes no kprobe_events entry.
    /// </summary>
    /// <exception cref="ProbeUnavailableException">mount(2) failed (not root, or no tracefs in this kernel).</exception>
    public static IDisposable MountTemporarily()
    {
        if (IsMounted()) return new Restore(false);
        if (LibC.Mount("nodev", MountPoint, "tracefs", 0, IntPtr.Zero) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw new ProbeUnavailableException($"mount -t tracefs nodev {MountPoint} failed: {LibC.Describe(errno)}");
        }
        return new Restore(true);
    }

    private sealed class Restore(bool unmount) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) != 0 || !unmount) return;
            // A lazy detach: an attached classic program still holding an event file must not make us leave it mounted.
            if (LibC.Umount2(MountPoint, 0) != 0) LibC.Umount2(MountPoint, LibC.MntDetach);
        }
    }
}
