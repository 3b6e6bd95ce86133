using PortSelection.Model.Ports;

namespace PortSelection.Model.Selection;

/// <summary>The socket that asks for a port in bind(), as the conflict test sees it.</summary>
/// <param name="SocketId">Model socket id (a socket never conflicts with itself).</param>
/// <param name="LocalAddress">Requested local address (<see cref="Ipv4Address.Any"/> = wildcard).</param>
/// <param name="BoundDevice">SO_BINDTODEVICE index, 0 when unbound.</param>
/// <param name="Reuse">SO_REUSEADDR.</param>
/// <param name="ReusePort">SO_REUSEPORT.</param>
/// <param name="Uid">Owner uid.</param>
/// <param name="Listening">The socket is (re-)binding as a listener (<c>inet_csk_listen_start</c> re-runs get_port).</param>
public readonly record struct BindCandidate(int SocketId, Ipv4Address LocalAddress, int BoundDevice = 0, bool Reuse = false, bool ReusePort = false, int Uid = 0, bool Listening = false);
