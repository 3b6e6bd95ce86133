namespace PortSelection.Validator.Reports;

/// <summary>Colour-blind-safe series styles: the Okabe–Ito palette plus a dash pattern and a marker
/// per series, so series stay distinct in greyscale print.</summary>
/// <remarks>Okabe, M. and Ito, K. (2008), "Color Universal Design (CUD): how to make figures and
/// presentations that are friendly to colorblind people". Yellow is last: it is weak on white.</remarks>
public static class ChartPalette
{
    /// <summary>The eight Okabe–Ito colours, in the order series use them.</summary>
    public static IReadOnlyList<string> Colors { get; } =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    /// <summary>SVG stroke-dasharray per series (empty = solid).</summary>
    public static IReadOnlyList<string> Dashes { get; } =
        ["", "7 3", "2 2", "9 3 2 3", "4 4", "12 3 2 3 2 3", "1 3", "6 2 6 6"];

    /// <summary>Marker shape per series.</summary>
    public static IReadOnlyList<MarkerShape> Markers { get; } =
        [MarkerShape.Circle, MarkerShape.Square, MarkerShape.TriangleUp, MarkerShape.Diamond,
         MarkerShape.TriangleDown, MarkerShape.Cross, MarkerShape.Plus, MarkerShape.Star];

    /// <summary>Colour of series number <paramref name="index"/> (cycling).</summary>
    public static string Color(int index) => Colors[Mod(index, Colors.Count)];

    /// <summary>Dash pattern of series number <paramref name="index"/> (cycling).</summary>
    public static string Dash(int index) => Dashes[Mod(index, Dashes.Count)];

    /// <summary>Marker of series number <paramref name="index"/> (cycling).</summary>
    public static MarkerShape Marker(int index) => Markers[Mod(index, Markers.Count)];

    private static int Mod(int i, int n) => ((i % n) + n) % n;
}
