using System.Globalization;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// An Open Inference Protocol v2 request (<c>$inference_request</c>): one input tensor, the endpoint's
/// feature vector, of shape [rows, dimension] (or [dimension] for one row), any numeric datatype,
/// data flat or nested row-major; the outputs asked for (all when none); the id to echo.
/// </summary>
public sealed record InferenceRequest(PredictionInput Input, string? Id, IReadOnlyList<string>? Outputs)
{
    private static readonly HashSet<string> NumericTypes = new(StringComparer.Ordinal)
    {
        "FP16", "BF16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64",
    };

    /// <summary>The metadata shape of the input, [-1, dimension].</summary>
    public static string Shape(DatasetColumn input) => string.Create(CultureInfo.InvariantCulture, $"[-1, {input.VectorLength}]");

    public static InferenceRequest Parse(ReadOnlySpan<byte> body, DatasetColumn input, IReadOnlyList<DatasetColumn> outputs)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw FieldError.Invalid($"The body is {JsonTokens.Describe(reader.TokenType)}; an inference request is an object with \"inputs\".", "body");
            }

            string? id = null;
            PredictionInput? parsed = null;
            List<string>? wanted = null;
            while (true)
            {
                JsonTokens.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var name = reader.GetString();
                JsonTokens.Next(ref reader);
                switch (name)
                {
                    case "id":
                        id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw FieldError.Invalid($"id: expected a string, found {JsonTokens.Describe(reader.TokenType)}.", "id");
                        break;
                    case "inputs":
                        parsed = ReadInputs(ref reader, input);
                        break;
                    case "outputs":
                        wanted = ReadOutputs(ref reader, outputs);
                        break;
                    default:
                        reader.Skip(); // parameters, and fields of later protocol versions
                        break;
                }
            }

            JsonTokens.EndOfBody(ref reader);
            return parsed is null
                ? throw FieldError.Invalid($"The request needs \"inputs\": [{{ \"name\": \"{input.Name}\", \"shape\": {Shape(input)}, \"datatype\": \"FP32\", \"data\": [...] }}].", "inputs")
                : new InferenceRequest(parsed, id, wanted);
        }
        catch (JsonException e)
        {
            throw FieldError.Invalid($"The body is not valid JSON: {e.Message}", "body", e);
        }
    }

    private static PredictionInput ReadInputs(ref Utf8JsonReader reader, DatasetColumn input)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FieldError.Invalid($"inputs: expected a list of tensors, found {JsonTokens.Describe(reader.TokenType)}.", "inputs");
        }

        PredictionInput? parsed = null;
        var index = 0;
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (index > 0)
            {
                throw FieldError.Invalid($"inputs: the model takes one input, '{input.Name}' (FP32 {Shape(input)}); got more.", "inputs");
            }

            parsed = ReadTensor(ref reader, input);
            index++;
        }

        return parsed ?? throw FieldError.Invalid($"inputs is empty; the model takes '{input.Name}' (FP32 {Shape(input)}).", "inputs");
    }

    private static PredictionInput ReadTensor(ref Utf8JsonReader reader, DatasetColumn input)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw FieldError.Invalid($"inputs[0]: expected a tensor object, found {JsonTokens.Describe(reader.TokenType)}.", "inputs[0]");
        }

        string? name = null, datatype = null;
        List<long>? shape = null;
        using var data = new FloatBuffer(input.VectorLength);
        var sawData = false;
        ArgumentException? badData = null;
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var field = reader.GetString();
            JsonTokens.Next(ref reader);
            switch (field)
            {
                case "name":
                    name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw FieldError.Invalid("inputs[0].name: expected a string.", "inputs[0].name");
                    break;
                case "datatype":
                    datatype = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw FieldError.Invalid("inputs[0].datatype: expected a string.", "inputs[0].datatype");
                    break;
                case "shape":
                    shape = ReadShape(ref reader);
                    break;
                case "data":
                    badData = ReadData(ref reader, data, 0);
                    sawData = true;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (name != input.Name)
        {
            throw FieldError.Invalid($"inputs[0].name: the model's input is '{input.Name}', not '{name}'.", "inputs[0].name");
        }

        if (datatype is null || !NumericTypes.Contains(datatype))
        {
            throw FieldError.Invalid($"inputs[0].datatype: expected FP32 (or another numeric type), found {datatype ?? "nothing"}.", "inputs[0].datatype");
        }

        if (badData is not null)
        {
            throw badData;
        }

        var dimension = input.VectorLength;
        var rows = shape switch
        {
            [var only] when only == dimension => 1,
            [var n, var d] when d == dimension && n is >= 1 and <= int.MaxValue => (int)n,
            _ => throw FieldError.Invalid($"inputs[0].shape: the model takes shape {Shape(input)}; got [{string.Join(", ", shape ?? [])}].", "inputs[0].shape"),
        };
        if (!sawData || data.Count != (long)rows * dimension)
        {
            throw FieldError.Invalid(string.Create(CultureInfo.InvariantCulture, $"inputs[0].data: shape [{string.Join(", ", shape)}] needs {(long)rows * dimension} numbers; found {data.Count}."), "inputs[0].data");
        }

        return new PredictionInput(data.ToArray(), rows);
    }

    private static List<long> ReadShape(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FieldError.Invalid($"inputs[0].shape: expected a list of sizes, found {JsonTokens.Describe(reader.TokenType)}.", "inputs[0].shape");
        }

        var shape = new List<long>(2);
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return shape;
            }

            shape.Add(reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var size) && size >= 0
                ? size
                : throw FieldError.Invalid("inputs[0].shape: sizes are whole numbers of 0 or more.", "inputs[0].shape"));
        }
    }

    /// <summary>
    /// Numbers of a flat or nested list, row-major, into <paramref name="data"/>; returns the error of the
    /// first value that is not a number, reported only after the datatype is checked (its error says more).
    /// </summary>
    private static ArgumentException? ReadData(ref Utf8JsonReader reader, FloatBuffer data, int depth)
    {
        ArgumentException? error = null;
        if (reader.TokenType != JsonTokenType.StartArray || depth > 32)
        {
            throw FieldError.Invalid($"inputs[0].data: expected a list of numbers (flat or nested), found {JsonTokens.Describe(reader.TokenType)}.", "inputs[0].data");
        }

        while (true)
        {
            JsonTokens.Next(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray:
                    return error;
                case JsonTokenType.StartArray:
                    error ??= ReadData(ref reader, data, depth + 1);
                    break;
                case JsonTokenType.Number when reader.TryGetSingle(out var value) && float.IsFinite(value):
                    data.Add(value);
                    break;
                default:
                    var field = string.Create(CultureInfo.InvariantCulture, $"inputs[0].data[{data.Count}]");
                    error ??= FieldError.Invalid($"{field}: expected a number, found {JsonTokens.DescribeValue(ref reader)}.", field);
                    reader.Skip();
                    break;
            }
        }
    }

    private static List<string> ReadOutputs(ref Utf8JsonReader reader, IReadOnlyList<DatasetColumn> outputs)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FieldError.Invalid($"outputs: expected a list of {{ \"name\" }} objects, found {JsonTokens.Describe(reader.TokenType)}.", "outputs");
        }

        var names = new List<string>();
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return names;
            }

            var field = string.Create(CultureInfo.InvariantCulture, $"outputs[{names.Count}].name");
            string? name = null;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (true)
                {
                    JsonTokens.Next(ref reader);
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        break;
                    }

                    var isName = reader.ValueTextEquals("name"u8);
                    JsonTokens.Next(ref reader);
                    if (isName && reader.TokenType == JsonTokenType.String)
                    {
                        name = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }

            if (name is null || !outputs.Any(o => o.Name == name))
            {
                throw FieldError.Invalid($"{field}: the model's outputs are {string.Join(", ", outputs.Select(o => o.Name))}; got '{name}'.", field);
            }

            names.Add(name);
        }
    }
}
