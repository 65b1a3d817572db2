using System.Globalization;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// Reads <c>POST /v1/endpoints/{name}/predict</c>'s body, <c>{"records": [{"&lt;input&gt;": [numbers...]}, ...]}</c>,
/// straight from UTF-8 into one float array, checking every record against the endpoint's input.
/// Other fields of a record are ignored. Errors name the field, e.g. <c>records[3].pixels</c>.
/// </summary>
public static class RecordsRequest
{
    /// <summary>Reads the records for an endpoint: raw columns when its versions carry fitted steps, else its one vector input.</summary>
    public static PredictionInput Parse(ReadOnlySpan<byte> body, EndpointInfo endpoint) => endpoint.Pipeline
        ? Parse(body, () => $"like {RawRecords.Describe(endpoint.Inputs)}", (ref Utf8JsonReader reader) => ReadRawRecords(ref reader, endpoint.Inputs))
        : Parse(body, endpoint.Inputs[0]);

    public static PredictionInput Parse(ReadOnlySpan<byte> body, DatasetColumn input) =>
        Parse(body, () => $"with '{input.Name}' ({Expected(input)})", (ref Utf8JsonReader reader) => ReadRecords(ref reader, input));

    private delegate PredictionInput RecordsReader(ref Utf8JsonReader reader);

    /// <param name="record">What each record holds, for messages: "with 'pixels' (a list of 784 numbers)"; built only for an error.</param>
    private static PredictionInput Parse(ReadOnlySpan<byte> body, Func<string> record, RecordsReader read)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw FieldError.Invalid($"The body is {JsonTokens.Describe(reader.TokenType)}; it should be an object with \"records\": a list of objects, each {record()}.", "body");
            }

            PredictionInput? parsed = null;
            while (true)
            {
                JsonTokens.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var isRecords = reader.ValueTextEquals("records"u8);
                JsonTokens.Next(ref reader);
                if (isRecords)
                {
                    parsed = read(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }

            JsonTokens.EndOfBody(ref reader);
            return parsed ?? throw FieldError.Invalid($"The body needs \"records\": a list of objects, each {record()}.", "records");
        }
        catch (JsonException e)
        {
            throw FieldError.Invalid($"The body is not valid JSON: {e.Message}", "body", e);
        }
    }

    private static PredictionInput ReadRawRecords(ref Utf8JsonReader reader, IReadOnlyList<DatasetColumn> inputs)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FieldError.Invalid($"records: expected a list of objects, found {JsonTokens.Describe(reader.TokenType)}.", "records");
        }

        var records = new RawRecords(inputs);
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var record = Record(records.Rows);
                throw FieldError.Invalid($"{record}: expected an object {RawRecords.Describe(inputs)}, found {JsonTokens.Describe(reader.TokenType)}.", record);
            }

            records.ReadRecord(ref reader);
        }

        return records.Rows == 0
            ? throw FieldError.Invalid("records is empty; send at least one record.", "records")
            : records.ToInput();
    }

    /// <summary>"a list of 784 numbers".</summary>
    public static string Expected(DatasetColumn input) => RawRecords.Expected(input);

    private static string Record(int row) => string.Create(CultureInfo.InvariantCulture, $"records[{row}]");

    private static string Field(int row, DatasetColumn input) => $"{Record(row)}.{input.Name}";

    private static PredictionInput ReadRecords(ref Utf8JsonReader reader, DatasetColumn input)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw FieldError.Invalid($"records: expected a list of objects, found {JsonTokens.Describe(reader.TokenType)}.", "records");
        }

        var dimension = input.VectorLength;
        using var features = new FloatBuffer(dimension * 4);
        var rows = 0;
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var record = Record(rows);
                throw FieldError.Invalid($"{record}: expected an object with '{input.Name}', found {JsonTokens.Describe(reader.TokenType)}.", record);
            }

            var found = false;
            while (true)
            {
                JsonTokens.Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var isInput = reader.ValueTextEquals(input.Name);
                JsonTokens.Next(ref reader);
                if (!isInput || found)
                {
                    reader.Skip();
                    continue;
                }

                found = true;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    var field = Field(rows, input);
                    throw FieldError.Invalid($"{field}: expected {Expected(input)}, found {JsonTokens.Describe(reader.TokenType)}.", field);
                }

                JsonTokens.ReadVector(ref reader, features, dimension, Field(rows, input));
            }

            if (!found)
            {
                var field = Field(rows, input);
                throw FieldError.Invalid($"{field} is missing; the endpoint takes '{input.Name}', {Expected(input)}.", field);
            }

            rows++;
        }

        return rows == 0
            ? throw FieldError.Invalid("records is empty; send at least one record.", "records")
            : new PredictionInput(features.ToArray(), rows);
    }
}
