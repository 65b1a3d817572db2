using System.Text.Json;

namespace OrleansMl.Bench.Serving;

/// <summary>Writes request bodies for the load generators: <c>{"records":[{"features":[...]}, ...]}</c> by default, field names configurable.</summary>
internal static class PredictBody
{
    /// <summary>Writes the rows of row-major <paramref name="features"/> as one JSON body; returns <paramref name="path"/>.</summary>
    public static string Write(string path, ReadOnlySpan<float> features, int dimension, string recordsField = "records", string featuresField = "features")
    {
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file);
        json.WriteStartObject();
        json.WriteStartArray(recordsField);
        for (var offset = 0; offset < features.Length; offset += dimension)
        {
            json.WriteStartObject();
            json.WriteStartArray(featuresField);
            foreach (var value in features.Slice(offset, dimension))
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        return path;
    }
}
