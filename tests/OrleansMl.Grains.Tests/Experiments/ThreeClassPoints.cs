using System.Globalization;
using System.Text;

namespace OrleansMl.Grains.Tests.Experiments;

/// <summary>Three classes of 3-D points a small network separates quickly, as JSON lines (<c>features</c>, <c>label</c>).</summary>
internal static class ThreeClassPoints
{
    /// <remarks>The importer deals batches of 256 rows to the partitions in turn, so the row count decides how many each gets.</remarks>
    public static MemoryStream JsonLines(int rows, int seed)
    {
        var random = new Random(seed);
        var lines = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var label = i % 3;
            lines.Append(CultureInfo.InvariantCulture, $$"""{"features":[{{label + random.NextDouble()}},{{random.NextDouble() - label}},{{random.NextDouble()}}],"label":{{label}}}""").Append('\n');
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(lines.ToString()));
    }
}
