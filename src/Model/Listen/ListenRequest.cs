namespace PortSelection.Model.Listen;

/// <summary>A request sock (SYN_RECV, "SYN queue" entry) as the model keeps it (<c>struct request_sock</c>).</summary>
/// <param name="ClientId">The client.</param>
/// <param name="CreatedMs">When the SYN was answered.</param>
/// <param name="NumTimeout"><c>req-&gt;num_timeout</c>: SYN-ACK timer expiries so far (0 ⇒ still "young").</param>
/// <param name="Acked"><c>inet_rsk(req)-&gt;acked</c>: the 3rd ACK arrived but the accept queue was full.</param>
/// <param name="NextTimerMs">When the request's SYN-ACK timer fires next.</param>
public readonly record struct ListenRequest(long ClientId, long CreatedMs, int NumTimeout, bool Acked, long NextTimerMs)
{
    /// <summary>Young: never timed out (<c>num_timeout == 0</c>).</summary>
    public bool Young => NumTimeout == 0;
}
