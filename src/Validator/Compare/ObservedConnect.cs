namespace PortSelection.Validator.Compare;

/// <summary>One connect() as the probe (and, live, user space) saw it.</summary>
/// <param name="DestinationPort">Destination port (127.0.0.1).</param>
/// <param name="Port">Chosen local port seen by the probe, or null when the scan failed.</param>
/// <param name="Errno">0 on success, else the errno of connect().</param>
/// <param name="ScanNs">Scan bracket in ns (probe), when complete.</param>
/// <param name="TimeSeed">Port-hash timeseed (<c>jiffies / (10·HZ)</c>) at the scan, when a jiffies anchor exists.</param>
/// <param name="NearRekey">True when the scan is within one jiffy of a timeseed boundary (the anchor's uncertainty).</param>
/// <param name="UserPort">getsockname() port (live runs only).</param>
public readonly record struct ObservedConnect(int DestinationPort, int? Port, int Errno, long? ScanNs, uint? TimeSeed, bool NearRekey, int? UserPort);
