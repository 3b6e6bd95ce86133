namespace PortSelection.Validator.Reports;

/// <summary>The standard charts of a capacity report, built from plain arrays (no model types), so any
/// command or notebook can draw them. Every method returns a <see cref="ChartSpec"/> (or
/// <see cref="PortStripChart"/>); render with <see cref="ChartRenderer.Render"/>. Variant arrays shorter
/// than the x array are drawn as far as they go.</summary>
public static class StandardCharts
{
    /// <summary>Ports scanned per connect() (log y) against occupancy of the local port range, one line per
    /// variant (kernel era, range width, number of destinations…).</summary>
    /// <param name="occupancy">Fraction of the range in use, 0..1 (drawn as %).</param>
    /// <param name="variants">Name and mean scan length per occupancy point.</param>
    public static ChartSpec ScanLengthVsOccupancy(double[] occupancy, params (string Name, double[] ScanLength)[] variants) =>
        new("connect() scan length vs port-range occupancy",
            new AxisSpec("Occupancy of ip_local_port_range", "%", Min: 0, Max: 100),
            AxisSpec.Log("Ports scanned per connect()"),
            Variants(Percent(occupancy), variants));

    /// <summary>CPU time per connect() against occupancy, one line per variant.</summary>
    /// <param name="occupancy">Fraction of the range in use, 0..1 (drawn as %).</param>
    /// <param name="variants">Name and CPU microseconds per connect() per occupancy point.</param>
    /// <param name="logY">True for a log y axis (useful when variants differ by orders of magnitude).</param>
    public static ChartSpec CpuPerConnectVsOccupancy(double[] occupancy, (string Name, double[] Microseconds)[] variants, bool logY = false) =>
        new("System CPU per connect() vs port-range occupancy",
            new AxisSpec("Occupancy of ip_local_port_range", "%", Min: 0, Max: 100),
            new AxisSpec("CPU per connect()", "µs", logY ? AxisScale.Log10 : AxisScale.Linear, Min: logY ? null : 0),
            Variants(Percent(occupancy), variants.Select(v => (v.Name, v.Microseconds)).ToArray()));

    /// <summary>Fraction of connect() calls failing with EADDRNOTAVAIL against the number of concurrent
    /// connections to one destination, one step line per variant (e.g. range width or number of upstream IPs).</summary>
    /// <param name="connections">Concurrent connections (x).</param>
    /// <param name="variants">Name and failure fraction 0..1 per x.</param>
    public static ChartSpec EaddrnotavailOnset(double[] connections, params (string Name, double[] FailureFraction)[] variants) =>
        new("EADDRNOTAVAIL onset",
            AxisSpec.Linear("Concurrent connections to one destination", "connections"),
            new AxisSpec("connect() failing with EADDRNOTAVAIL", "fraction", Min: 0, Max: 1),
            variants.Select(v => Series.Step(v.Name, connections, v.FailureFraction)).ToArray());

    /// <summary>The order in which connect() hands out ports: connect index (x) against the chosen port (y,
    /// plain port numbers), as a scatter.</summary>
    /// <param name="ports">Port chosen by the i-th connect().</param>
    /// <param name="name">Series name (e.g. kernel era).</param>
    public static ChartSpec FillSequence(int[] ports, string name = "chosen port")
    {
        ArgumentNullException.ThrowIfNull(ports);
        var x = Enumerable.Range(0, ports.Length).Select(i => (double)i).ToArray();
        return new ChartSpec("Port fill sequence",
            AxisSpec.Linear("connect() index", "calls"),
            AxisSpec.Linear("Local port", "").WithSiSuffix(false),
            [Series.Scatter(name, x, ports.Select(p => (double)p).ToArray())]);
    }

    /// <summary>Empirical CDF of connect latency, one step line per variant, on a log time axis so the SYN
    /// retransmission steps (1 s, 3 s, 7 s…) stand out.</summary>
    /// <param name="variants">Name and latency samples in milliseconds.</param>
    public static ChartSpec ConnectLatencyCdf(params (string Name, double[] LatencyMs)[] variants) =>
        new("Connect latency CDF",
            AxisSpec.Log("Connect latency", "ms"),
            new AxisSpec("Fraction of connections ≤ latency", "", Min: 0, Max: 1),
            variants.Select(v => Cdf.FromSamples(v.LatencyMs).ToSeries(v.Name)).ToArray());

    /// <summary>SYN/accept-queue drop probability (log y) against listen() backlog, one line per load level.</summary>
    /// <param name="backlog">Backlog values (x).</param>
    /// <param name="variants">Name and drop probability 0..1 per backlog.</param>
    public static ChartSpec BacklogVsDropProbability(double[] backlog, params (string Name, double[] DropProbability)[] variants) =>
        new("Listen queue: drop probability vs backlog",
            AxisSpec.Linear("listen() backlog", "entries"),
            AxisSpec.Log("Drop probability", ""),
            Variants(backlog, variants));

    /// <summary>Model prediction (line) against kernel measurements (markers) with the measurements' spread
    /// as a band.</summary>
    /// <param name="x">Common x values.</param>
    /// <param name="model">Model prediction per x.</param>
    /// <param name="kernelMean">Measured mean per x.</param>
    /// <param name="kernelLow">Lower edge of the measured band (e.g. 5th percentile).</param>
    /// <param name="kernelHigh">Upper edge of the measured band (e.g. 95th percentile).</param>
    /// <param name="xAxis">X axis (label, unit, scale).</param>
    /// <param name="yAxis">Y axis (label, unit, scale).</param>
    /// <param name="title">Chart title.</param>
    public static ChartSpec ModelVsKernel(double[] x, double[] model, double[] kernelMean, double[] kernelLow, double[] kernelHigh,
        AxisSpec xAxis, AxisSpec yAxis, string title = "Model vs kernel") =>
        new(title, xAxis, yAxis,
        [
            Series.Band("kernel 5–95 %", x, kernelLow, kernelHigh),
            Series.Line("model", x, model),
            Series.Scatter("kernel mean", x, kernelMean),
        ]);

    /// <summary>The port range as a grid of cells coloured by state.</summary>
    /// <param name="firstPort">First port of the range.</param>
    /// <param name="states">State of each port in order.</param>
    /// <param name="title">Chart title.</param>
    public static PortStripChart PortStrip(int firstPort, PortState[] states, string title = "Local port range by state") =>
        new(title, firstPort, states);

    private static double[] Percent(double[] fraction)
    {
        ArgumentNullException.ThrowIfNull(fraction);
        return fraction.Select(f => f * 100).ToArray();
    }

    private static Series[] Variants(double[] x, (string Name, double[] Y)[] variants)
    {
        ArgumentNullException.ThrowIfNull(variants);
        return variants.Select(v => Series.Line(v.Name, x, v.Y)).ToArray();
    }
}
