using System.Runtime.InteropServices;

namespace PortSelection.Validator.Probe;

/// <summary>An open <c>struct bpf_object *</c>; closing it unloads programs and frees maps.</summary>
internal sealed class BpfObjectHandle : SafeHandle
{
    /// <summary>Wraps a pointer returned by <c>bpf_object__open_file</c>.</summary>
    public BpfObjectHandle(IntPtr obj) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(obj);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibBpf.ObjectClose(handle);
        return true;
    }
}

/// <summary>An attached <c>struct bpf_link *</c>; destroying it detaches the program.</summary>
internal sealed class BpfLinkHandle : SafeHandle
{
    /// <summary>Wraps a pointer returned by <c>bpf_program__attach</c>.</summary>
    public BpfLinkHandle(IntPtr link) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(link);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibBpf.LinkDestroy(handle);
        return true;
    }
}

/// <summary>A <c>struct ring_buffer *</c> consumer.</summary>
internal sealed class RingBufferHandle : SafeHandle
{
    /// <summary>Wraps a pointer returned by <c>ring_buffer__new</c>.</summary>
    public RingBufferHandle(IntPtr rb) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(rb);

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        LibBpf.RingBufferFree(handle);
        return true;
    }
}
