using System.Text.Json;

namespace OrleansMl.Data.Schema;

/// <summary>The schema as JSON: <c>[{"name":"x","type":"float64"},{"name":"v","type":"vector","length":784}]</c>.</summary>
public static class SchemaJson
{
    public static string Serialize(DatasetSchema schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, schema);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, DatasetSchema schema)
    {
        writer.WriteStartArray();
        foreach (var column in schema.Columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", TypeName(column.Type));
            if (column.Type == ColumnType.Vector)
            {
                writer.WriteNumber("length", column.VectorLength);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static DatasetSchema Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    public static DatasetSchema Read(JsonElement array)
    {
        var columns = new List<ColumnSchema>();
        foreach (var item in array.EnumerateArray())
        {
            var name = item.GetProperty("name").GetString() ?? throw new SchemaException("A schema column has no name.");
            var type = ParseType(item.GetProperty("type").GetString());
            var length = item.TryGetProperty("length", out var l) ? l.GetInt32() : 0;
            columns.Add(new ColumnSchema(name, type, length));
        }

        return new DatasetSchema(columns);
    }

    /// <summary>The lower-case name used in JSON, the API and error messages.</summary>
    public static string TypeName(ColumnType type) => type.ToString().ToLowerInvariant();

    /// <summary>Parses a type name (case-insensitive), with a message that lists the valid names.</summary>
    public static ColumnType ParseType(string? name) =>
        Enum.TryParse<ColumnType>(name, ignoreCase: true, out var type) && Enum.IsDefined(type) && !int.TryParse(name, out _)
            ? type
            : throw new SchemaException($"Unknown column type '{name}'. Types: {string.Join(", ", Enum.GetValues<ColumnType>().Select(TypeName))}.");
}
