using System.Xml.Linq;

namespace PortSelection.Validator.Tests.Reports;

/// <summary>Shared checks on rendered SVG.</summary>
internal static class SvgAssert
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Parses, checks the root and that no NaN/Infinity text is present; returns the document.</summary>
    public static XDocument Valid(string svg)
    {
        Assert.DoesNotContain("NaN", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", svg, StringComparison.Ordinal);
        var doc = XDocument.Parse(svg);
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.NotNull(doc.Root.Attribute("viewBox"));
        Assert.NotNull(doc.Root.Attribute("width"));
        Assert.NotNull(doc.Root.Attribute("height"));
        return doc;
    }

    public static string[] SeriesNames(XDocument doc) =>
        doc.Descendants().Where(e => e.Attribute("data-series") != null).Select(e => (string)e.Attribute("data-series")!).ToArray();

    public static string[] AxisLabels(XDocument doc, string axis) =>
        doc.Descendants(Svg + "g").Where(g => (string?)g.Attribute("class") == "axis " + axis)
           .Descendants(Svg + "text").Select(t => t.Value).ToArray();
}
