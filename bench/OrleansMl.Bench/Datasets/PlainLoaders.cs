using System.Globalization;
using System.IO.Compression;

namespace OrleansMl.Bench.Datasets;

/// <summary>
/// The floor the imports are compared with: the same file read and parsed into memory on one
/// thread, written plainly, the way a user would without the platform.
/// </summary>
internal static class PlainLoaders
{
    /// <summary>Gunzips the IDX images and labels and copies every image into its own float[]; returns the row count.</summary>
    public static long LoadIdx(string imagesPath, string labelsPath)
    {
        using var images = new BinaryReader(new GZipStream(File.OpenRead(imagesPath), CompressionMode.Decompress));
        using var labels = new BinaryReader(new GZipStream(File.OpenRead(labelsPath), CompressionMode.Decompress));
        images.ReadBytes(4);
        var count = BigEndian(images.ReadBytes(4));
        var pixels = BigEndian(images.ReadBytes(4)) * BigEndian(images.ReadBytes(4));
        labels.ReadBytes(8);
        var rows = new List<(long Label, float[] Pixels)>(count);
        for (var i = 0; i < count; i++)
        {
            var bytes = images.ReadBytes(pixels);
            var vector = new float[pixels];
            for (var p = 0; p < pixels; p++)
            {
                vector[p] = bytes[p];
            }

            rows.Add((labels.ReadByte(), vector));
        }

        return rows.Count;
    }

    /// <summary>Reads the generated CSV line by line, splits on commas and parses each typed column into a list; returns the row count.</summary>
    public static long LoadCsv(string path)
    {
        var ids = new List<long>();
        var xs = new List<double>();
        var ys = new List<double>();
        var categories = new List<string>();
        var flags = new List<bool>();
        var notes = new List<string>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            ids.Add(long.Parse(fields[0], CultureInfo.InvariantCulture));
            xs.Add(double.Parse(fields[1], CultureInfo.InvariantCulture));
            ys.Add(double.Parse(fields[2], CultureInfo.InvariantCulture));
            categories.Add(fields[3]);
            flags.Add(bool.Parse(fields[4]));
            notes.Add(fields[5]);
        }

        return ids.Count;
    }

    /// <summary>Writes a CSV of <paramref name="rows"/> rows: id, x, y, category (8 values), flag, note.</summary>
    public static void WriteCsv(string path, int rows)
    {
        var random = new Random(1);
        using var writer = new StreamWriter(path);
        writer.WriteLine("id,x,y,category,flag,note");
        for (var i = 0; i < rows; i++)
        {
            writer.Write(i);
            writer.Write(',');
            writer.Write((random.NextDouble() * 1000).ToString("F4", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write((random.NextDouble() - 0.5).ToString("R", CultureInfo.InvariantCulture));
            writer.Write(",cat");
            writer.Write(i % 8);
            writer.Write(i % 3 == 0 ? ",true,note " : ",false,note ");
            writer.WriteLine(i);
        }
    }

    private static int BigEndian(byte[] bytes) => (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
}
