using System.Globalization;
using System.Text;

namespace PortSelection.Validator.Reports;

/// <summary>A strip of consecutive ports, one cell per port coloured by <see cref="PortState"/>, wrapped into
/// rows of <see cref="CellsPerRow"/> cells (a 2-D grid); rows are labelled with their first port and the
/// legend gives the count of each state.</summary>
/// <param name="Title">Chart title.</param>
/// <param name="FirstPort">Port of the first cell.</param>
/// <param name="States">State of each port, in port order.</param>
/// <param name="CellsPerRow">Cells per row (≥ 1); 0 picks a power of two that keeps the grid roughly 4:1.</param>
/// <param name="Width">SVG width in pixels.</param>
public sealed record PortStripChart(string Title, int FirstPort, IReadOnlyList<PortState> States, int CellsPerRow = 0, int Width = 760)
{
    /// <summary>Fill colour per state (Okabe–Ito, with distinct lightness so the states survive greyscale);
    /// TIME_WAIT is additionally hatched.</summary>
    public static string Color(PortState s) => s switch
    {
        PortState.Free => "#EEEEEE",
        PortState.Reserved => "#000000",
        PortState.BindOwned => "#CC79A7",
        PortState.UsedEven => "#0072B2",
        PortState.UsedOdd => "#56B4E9",
        PortState.TimeWait => "#E69F00",
        _ => "#EEEEEE",
    };

    /// <summary>Legend name per state.</summary>
    public static string Name(PortState s) => s switch
    {
        PortState.Free => "free",
        PortState.Reserved => "reserved",
        PortState.BindOwned => "bind-owned",
        PortState.UsedEven => "used (even)",
        PortState.UsedOdd => "used (odd)",
        PortState.TimeWait => "TIME_WAIT",
        _ => s.ToString(),
    };

    /// <summary>The number of cells per row actually used.</summary>
    public int EffectiveCellsPerRow
    {
        get
        {
            if (CellsPerRow > 0) return CellsPerRow;
            var n = Math.Max(1, States.Count);
            var c = 8;
            while (c < 256 && (double)c / Math.Ceiling((double)n / c) < 4) c *= 2;
            return Math.Min(c, Math.Max(1, n));
        }
    }

    /// <summary>Renders the strip as deterministic SVG; each state present is one
    /// <c>&lt;path data-series="state-name"&gt;</c> of merged cell runs.</summary>
    public string Render()
    {
        var states = States ?? [];
        var cols = EffectiveCellsPerRow;
        var rows = Math.Max(1, (int)Math.Ceiling((double)states.Count / cols));
        var lastPort = FirstPort + Math.Max(0, states.Count - 1);
        var labelW = SvgText.Width(lastPort.ToString(CultureInfo.InvariantCulture), 12) + 14;
        double left = labelW, top = 44, right = 16;
        var width = Math.Max(240, Width);
        var cell = Math.Clamp((width - left - right) / cols, 1, 24);
        var cellH = Math.Clamp(cell, 2, 24);
        var gridW = cell * cols;
        var gridH = cellH * rows;
        var legendRows = (int)Math.Ceiling(Enum.GetValues<PortState>().Length / 3.0);
        var height = (int)Math.Ceiling(top + gridH + 34 + legendRows * 20 + 10);

        var sb = new StringBuilder(4096);
        SvgText.Open(sb, width, height, Title);
        var hatchId = SvgText.StableId("hatch", Title + "|" + FirstPort.ToString(CultureInfo.InvariantCulture));
        sb.Append("<defs><pattern id=\"").Append(hatchId)
          .Append("\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\"><rect width=\"6\" height=\"6\" fill=\"")
          .Append(Color(PortState.TimeWait)).Append("\"/><path d=\"M0 6L6 0\" stroke=\"#000000\" stroke-width=\"1\"/></pattern></defs>\n");
        SvgText.Text(sb, width / 2.0, 26, Title, 16, "middle", "font-weight=\"bold\" class=\"chart-title\"");

        // One path per state: runs of equal state within a row merged into one rectangle.
        var paths = new SortedDictionary<PortState, StringBuilder>();
        for (var r = 0; r < rows; r++)
        {
            var start = r * cols;
            var end = Math.Min(states.Count, start + cols);
            var i = start;
            while (i < end)
            {
                var st = states[i];
                var j = i + 1;
                while (j < end && states[j] == st) j++;
                if (!paths.TryGetValue(st, out var d)) paths[st] = d = new StringBuilder();
                var x = left + (i - start) * cell;
                var y = top + r * cellH;
                d.Append('M').Append(TickLabel.Coord(x)).Append(' ').Append(TickLabel.Coord(y))
                 .Append('h').Append(TickLabel.Coord((j - i) * cell)).Append('v').Append(TickLabel.Coord(cellH))
                 .Append('h').Append(TickLabel.Coord(-(j - i) * cell)).Append('z');
                i = j;
            }
        }
        foreach (var (st, d) in paths)
        {
            var fill = st == PortState.TimeWait ? $"url(#{hatchId})" : Color(st);
            sb.Append("<path data-series=\"").Append(Name(st)).Append("\" d=\"").Append(d).Append("\" fill=\"").Append(fill).Append("\"/>\n");
        }
        sb.Append("<rect x=\"").Append(TickLabel.Coord(left)).Append("\" y=\"").Append(TickLabel.Coord(top)).Append("\" width=\"")
          .Append(TickLabel.Coord(gridW)).Append("\" height=\"").Append(TickLabel.Coord(gridH)).Append("\" fill=\"none\" stroke=\"#333333\"/>\n");

        // Row labels: first port of a row, thinned so they do not overlap.
        sb.Append("<g class=\"axis y\" font-size=\"11\" text-anchor=\"end\">\n");
        var every = Math.Max(1, (int)Math.Ceiling(14 / cellH));
        for (var r = 0; r < rows; r += every)
        {
            var port = (FirstPort + (long)r * cols).ToString(CultureInfo.InvariantCulture);
            sb.Append("<text x=\"").Append(TickLabel.Coord(left - 4)).Append("\" y=\"").Append(TickLabel.Coord(top + r * cellH + Math.Min(cellH, 14) / 2 + 4))
              .Append("\">").Append(port).Append("</text>\n");
        }
        sb.Append("</g>\n");
        SvgText.Text(sb, left + gridW / 2, top + gridH + 16, $"port = row label + column (0–{cols - 1})", 11, "middle", "class=\"axis-title x\" fill=\"#444444\"");

        // Legend with counts.
        sb.Append("<g class=\"legend\" font-size=\"12\">\n");
        var all = Enum.GetValues<PortState>();
        var colW = (width - left - right) / 3;
        for (var k = 0; k < all.Length; k++)
        {
            var st = all[k];
            var count = states.Count(s => s == st);
            var lx = left + (k % 3) * colW;
            var ly = top + gridH + 30 + (k / 3) * 20;
            var fill = st == PortState.TimeWait ? $"url(#{hatchId})" : Color(st);
            sb.Append("<rect x=\"").Append(TickLabel.Coord(lx)).Append("\" y=\"").Append(TickLabel.Coord(ly)).Append("\" width=\"14\" height=\"14\" fill=\"")
              .Append(fill).Append("\" stroke=\"#333333\"/>\n");
            SvgText.Text(sb, lx + 20, ly + 11, $"{Name(st)}: {count.ToString(CultureInfo.InvariantCulture)}", 12);
        }
        sb.Append("</g>\n</svg>\n");
        return sb.ToString();
    }
}
