using System.Globalization;
using System.Text;
using OrleansMl.Datasets;
using OrleansMl.Grains.Tests.Datasets;

namespace OrleansMl.Grains.Tests.Pipelines;

/// <summary>
/// Weather-like rows as in the public Seattle weather file: a date, four numbers and a text class.
/// Each class has its own centre, with noise, so a nearest-neighbour model is right most of the time.
/// </summary>
public sealed record WeatherRow(string Date, double Precipitation, double TempMax, double TempMin, double Wind, string Weather)
{
    public static readonly string[] Classes = ["drizzle", "fog", "rain", "snow", "sun"];

    public double[] Numbers => [Precipitation, TempMax, TempMin, Wind];

    /// <param name="shift">Added to both temperatures, so two files can differ in their statistics.</param>
    public static List<WeatherRow> Generate(int rows, int seed, IReadOnlyList<string> classes, double shift = 0)
    {
        var random = new Random(seed);
        var result = new List<WeatherRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var weather = classes[i % classes.Count];
            var centre = Math.Max(0, Array.IndexOf(Classes, weather)) + (weather == "hail" ? 2.5 : 0);
            double Noise(double scale) => (random.NextDouble() - 0.5) * scale;
            result.Add(new WeatherRow(
                DateTime.UnixEpoch.AddDays(16_000 + i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Math.Round(Math.Max(0, (centre * 4) + Noise(4)), 1),
                Math.Round(20 - (centre * 3) + shift + Noise(5), 1),
                Math.Round(8 - (centre * 2) + shift + Noise(4), 1),
                Math.Round(3 + centre + Noise(2), 1),
                weather));
        }

        return result;
    }

    public static string Csv(IEnumerable<WeatherRow> rows)
    {
        var text = new StringBuilder("date,precipitation,temp_max,temp_min,wind,weather\n");
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Date},{r.Precipitation},{r.TempMax},{r.TempMin},{r.Wind},{r.Weather}\n");
        }

        return text.ToString();
    }

    /// <summary>Writes the rows as a CSV file the cluster may read and imports it, in 3 partitions, as a new dataset.</summary>
    public static async Task<string> ImportAsync(DatasetClusterFixture fixture, IReadOnlyList<WeatherRow> rows)
    {
        var name = DatasetClusterFixture.NewName();
        var path = Path.Combine(fixture.FilesDirectory, $"{name}.csv");
        await File.WriteAllTextAsync(path, Csv(rows));
        var (_, operation) = await fixture.ImportAsync(name, new ImportRequest(new DatasetSource(path), Options: new ImportOptions(Partitions: 3)));
        Assert.Equal(DatasetOperation.Succeeded, operation.State);
        return name;
    }
}
