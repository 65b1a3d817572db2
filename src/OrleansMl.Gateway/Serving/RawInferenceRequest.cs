using System.Globalization;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// An Open Inference Protocol v2 request to an endpoint whose versions carry fitted steps: one tensor
/// per raw input column, named as the column — BYTES (strings) for text and ISO 8601 timestamps, BOOL
/// for booleans, an integer type for int64, any numeric type for float64, and [rows, length] of numbers
/// for a vector; scalars take shape [rows] or [rows, 1]. Every tensor has the same rows. Errors name
/// the tensor and the element, e.g. <c>inputs[1].data[3]</c>.
/// </summary>
public static class RawInferenceRequest
{
    private static readonly HashSet<string> Integers = new(StringComparer.Ordinal) { "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64" };
    private static readonly HashSet<string> Numbers = new(Integers, StringComparer.Ordinal) { "FP16", "BF16", "FP32", "FP64" };

    /// <summary>The protocol's datatype for a raw input column.</summary>
    public static string Datatype(DatasetColumn column) => column.Type switch
    {
        "int64" => "INT64",
        "float64" => "FP64",
        "boolean" => "BOOL",
        "vector" => "FP32",
        _ => "BYTES",
    };

    public static InferenceRequest Parse(ReadOnlySpan<byte> body, EndpointInfo endpoint)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw FieldError.Invalid($"The body is not valid JSON: {e.Message}", "body", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
            {
                throw FieldError.Invalid($"An inference request is an object with \"inputs\": one tensor per input ({Describe(endpoint.Inputs)}).", "inputs");
            }

            var id = root.TryGetProperty("id", out var idElement)
                ? idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : throw FieldError.Invalid("id: expected a string.", "id")
                : null;
            var tensors = inputs.EnumerateArray().ToList();
            for (var t = 0; t < tensors.Count; t++)
            {
                var name = tensors[t].ValueKind == JsonValueKind.Object && tensors[t].TryGetProperty("name", out var n) ? n.GetString() : null;
                if (endpoint.Inputs.All(c => c.Name != name))
                {
                    var field = string.Create(CultureInfo.InvariantCulture, $"inputs[{t}].name");
                    throw FieldError.Invalid($"{field}: the model's inputs are {Describe(endpoint.Inputs)}; got '{name}'.", field);
                }
            }

            var columns = new List<RecordColumn>(endpoint.Inputs.Count);
            int? rows = null;
            foreach (var input in endpoint.Inputs)
            {
                var index = tensors.FindIndex(t => t.GetProperty("name").GetString() == input.Name);
                if (index < 0)
                {
                    throw FieldError.Invalid($"inputs: the tensor '{input.Name}' ({Datatype(input)}) is missing; the model's inputs are {Describe(endpoint.Inputs)}.", "inputs");
                }

                var (column, count) = Column(tensors[index], input, string.Create(CultureInfo.InvariantCulture, $"inputs[{index}]"));
                if (rows is { } expected && count != expected)
                {
                    throw FieldError.Invalid(string.Create(CultureInfo.InvariantCulture, $"inputs[{index}].shape: {count} rows, where the other inputs have {expected}."), $"inputs[{index}].shape");
                }

                rows = count;
                columns.Add(column);
            }

            List<string>? wanted = null;
            if (root.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
            {
                wanted = [.. outputs.EnumerateArray().Select((o, i) => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var on) && on.GetString() is { } output
                    && endpoint.Outputs.Any(c => c.Name == output)
                        ? output
                        : throw FieldError.Invalid($"outputs[{i}].name: the model's outputs are {string.Join(", ", endpoint.Outputs.Select(c => c.Name))}.", $"outputs[{i}].name"))];
            }

            return new InferenceRequest(new PredictionInput([], rows ?? 0, columns), id, wanted);
        }
    }

    private static (RecordColumn Column, int Rows) Column(JsonElement tensor, DatasetColumn input, string field)
    {
        var datatype = tensor.TryGetProperty("datatype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "";
        var width = input.Type == "vector" ? input.VectorLength : 1;
        var shape = tensor.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(x => x.TryGetInt64(out var v) && v >= 0 ? v : -1).ToArray()
            : [];
        long rows = shape switch
        {
            [var only] when input.Type != "vector" => only,
            [var only] when only == width => 1,
            [var n, var w] when w == width && n >= 0 => n,
            _ => -1,
        };
        if (rows is < 1 or > int.MaxValue)
        {
            throw FieldError.Invalid($"{field}.shape: '{input.Name}' takes {(width == 1 ? "[rows] or [rows, 1]" : $"[rows, {width}]")}; got [{string.Join(", ", shape)}].", $"{field}.shape");
        }

        var values = new List<JsonElement>();
        if (!tensor.TryGetProperty("data", out var data))
        {
            throw FieldError.Invalid($"{field}.data is missing.", $"{field}.data");
        }

        Flatten(data, values, $"{field}.data");
        if (values.Count != rows * width)
        {
            throw FieldError.Invalid(string.Create(CultureInfo.InvariantCulture, $"{field}.data: shape [{string.Join(", ", shape)}] needs {rows * width} values; found {values.Count}."), $"{field}.data");
        }

        var expected = Datatype(input);
        var fits = expected switch
        {
            "INT64" => Integers.Contains(datatype),
            "FP64" or "FP32" => Numbers.Contains(datatype),
            _ => datatype == expected,
        };
        if (!fits)
        {
            throw FieldError.Invalid($"{field}.datatype: '{input.Name}' is {input.Type}, sent as {expected}; got {(datatype.Length == 0 ? "nothing" : datatype)}.", $"{field}.datatype");
        }

        T[] Read<T>(Func<JsonElement, (bool Ok, T Value)> read, string what) => [.. values.Select((v, i) => read(v) is (true, var value)
            ? value
            : throw FieldError.Invalid($"{field}.data[{i}]: expected {what}, found {v.ValueKind.ToString().ToLowerInvariant()} {v.GetRawText()}.", string.Create(CultureInfo.InvariantCulture, $"{field}.data[{i}]")))];

        var column = input.Type switch
        {
            "int64" => new RecordColumn(input.Name, Integers: Read(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var x) ? (true, x) : (false, 0L), "a whole number")),
            "float64" => new RecordColumn(input.Name, Numbers: Read(v => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var x) && double.IsFinite(x) ? (true, x) : (false, 0d), "a number")),
            "boolean" => new RecordColumn(input.Name, Flags: Read(v => (v.ValueKind is JsonValueKind.True or JsonValueKind.False, v.ValueKind == JsonValueKind.True), "true or false")),
            "vector" => new RecordColumn(input.Name, Vectors: Read(v => v.ValueKind == JsonValueKind.Number && v.TryGetSingle(out var x) && float.IsFinite(x) ? (true, x) : (false, 0f), "a number")),
            "timestamp" => new RecordColumn(input.Name, Integers: Read(Timestamp, "an ISO 8601 date and time")),
            _ => new RecordColumn(input.Name, Texts: Read(v => v.ValueKind == JsonValueKind.String ? (true, v.GetString()!) : (false, ""), "a string")),
        };
        return (column, (int)rows);
    }

    private static (bool, long) Timestamp(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && RawRecords.TryTimestamp(value.GetString(), out var micros) ? (true, micros) : (false, 0);

    private static void Flatten(JsonElement data, List<JsonElement> values, string field)
    {
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw FieldError.Invalid($"{field}: expected a list (flat or nested).", field);
        }

        foreach (var item in data.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(item, values, field);
            }
            else
            {
                values.Add(item);
            }
        }
    }

    private static string Describe(IReadOnlyList<DatasetColumn> inputs) => string.Join(", ", inputs.Select(c => $"'{c.Name}' ({Datatype(c)})"));
}
