using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>An Open Inference Protocol v2 tensor: name, shape, datatype (FP32, INT64, …) and the data, row-major, flat or nested.</summary>
public sealed record InferenceTensor(string Name, long[] Shape, string Datatype, JsonElement Data)
{
    /// <summary>An FP32 tensor of <paramref name="rows"/> rows of equal length, shape <c>[rows, dimension]</c>.</summary>
    public static InferenceTensor Fp32(string name, IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var dimension = rows.Count == 0 ? 0 : rows[0].Length;
        if (rows.Any(r => r.Length != dimension))
        {
            throw new ArgumentException($"Every row must have {dimension} values, as the first has.", nameof(rows));
        }

        return new InferenceTensor(name, [rows.Count, dimension], "FP32", JsonSerializer.SerializeToElement(rows, ClientJson.Options));
    }

    /// <summary>The data as numbers in row-major order (nested arrays flattened; null, the gateway's NaN, as NaN).</summary>
    public float[] ToSingles() => [.. Flatten(Data).Select(e => e.ValueKind == JsonValueKind.Null ? float.NaN : e.GetSingle())];

    /// <summary>The data as whole numbers in row-major order, e.g. the <c>label</c> output.</summary>
    public long[] ToInt64s() => [.. Flatten(Data).Select(e => e.GetInt64())];

    private static IEnumerable<JsonElement> Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten) : [element];
}
