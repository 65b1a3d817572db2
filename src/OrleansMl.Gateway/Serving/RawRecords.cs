using System.Globalization;
using System.Text.Json;
using OrleansMl.Datasets;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// Reads the records of an endpoint whose versions carry fitted steps: every record holds each raw
/// input column, typed as the training data had it — int64 a whole number, float64 a number, boolean
/// true/false, string and categorical text, timestamp ISO 8601 text, vector a list of numbers. A value
/// that is missing, null or of another type fails with the record and column, e.g. <c>records[2].temp</c>;
/// other fields are ignored. The columns go to the predictor as they are; the steps run there.
/// </summary>
internal sealed class RawRecords
{
    private readonly IReadOnlyList<DatasetColumn> _inputs;
    private readonly Dictionary<string, int> _byName;
    private readonly List<long>?[] _integers;
    private readonly List<double>?[] _numbers;
    private readonly List<bool>?[] _flags;
    private readonly List<string>?[] _texts;
    private readonly FloatBuffer?[] _vectors;
    private readonly bool[] _seen;

    public RawRecords(IReadOnlyList<DatasetColumn> inputs)
    {
        _inputs = inputs;
        _byName = inputs.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _integers = new List<long>?[inputs.Count];
        _numbers = new List<double>?[inputs.Count];
        _flags = new List<bool>?[inputs.Count];
        _texts = new List<string>?[inputs.Count];
        _vectors = new FloatBuffer?[inputs.Count];
        _seen = new bool[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            switch (inputs[i].Type)
            {
                case "int64" or "timestamp":
                    _integers[i] = [];
                    break;
                case "float64":
                    _numbers[i] = [];
                    break;
                case "boolean":
                    _flags[i] = [];
                    break;
                case "vector":
                    _vectors[i] = new FloatBuffer(inputs[i].VectorLength);
                    break;
                default:
                    _texts[i] = [];
                    break;
            }
        }
    }

    public int Rows { get; private set; }

    /// <summary>What a record looks like, for messages: <c>{ "temp": a number, "weather": text }</c>.</summary>
    public static string Describe(IReadOnlyList<DatasetColumn> inputs) =>
        "{ " + string.Join(", ", inputs.Select(c => $"\"{c.Name}\": {Expected(c)}")) + " }";

    /// <summary>Reads one record object; the reader is on its StartObject and ends on its EndObject.</summary>
    public void ReadRecord(ref Utf8JsonReader reader)
    {
        Array.Clear(_seen);
        while (true)
        {
            JsonTokens.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            var index = _byName.TryGetValue(reader.GetString()!, out var found) ? found : -1;
            JsonTokens.Next(ref reader);
            if (index < 0 || _seen[index])
            {
                reader.Skip();
                continue;
            }

            _seen[index] = true;
            ReadValue(ref reader, index);
        }

        for (var i = 0; i < _seen.Length; i++)
        {
            if (!_seen[i])
            {
                var field = Field(i);
                throw FieldError.Invalid($"{field} is missing; every record needs '{_inputs[i].Name}' ({Expected(_inputs[i])}).", field);
            }
        }

        Rows++;
    }

    public PredictionInput ToInput()
    {
        var columns = new RecordColumn[_inputs.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = new RecordColumn(_inputs[i].Name, _integers[i]?.ToArray(), _numbers[i]?.ToArray(), _flags[i]?.ToArray(), _texts[i]?.ToArray(), _vectors[i]?.ToArray());
            _vectors[i]?.Dispose();
        }

        return new PredictionInput([], Rows, columns);
    }

    private void ReadValue(ref Utf8JsonReader reader, int index)
    {
        var input = _inputs[index];
        var ok = reader.TokenType switch
        {
            JsonTokenType.Number when _integers[index] is { } integers && input.Type == "int64" => Add(integers, reader.TryGetInt64(out var whole), whole),
            JsonTokenType.Number when _numbers[index] is { } numbers => Add(numbers, reader.TryGetDouble(out var number) && double.IsFinite(number), number),
            JsonTokenType.True or JsonTokenType.False when _flags[index] is { } flags => Add(flags, true, reader.GetBoolean()),
            JsonTokenType.String when _texts[index] is { } texts => Add(texts, true, reader.GetString()!),
            JsonTokenType.String when _integers[index] is { } times && input.Type == "timestamp" => Add(times, TryTimestamp(reader.GetString(), out var micros), micros),
            JsonTokenType.StartArray when _vectors[index] is { } vectors => ReadVector(ref reader, vectors, index),
            _ => false,
        };
        if (!ok)
        {
            var field = Field(index);
            throw FieldError.Invalid($"{field}: expected {Expected(input)}, found {JsonTokens.DescribeValue(ref reader)}.", field);
        }
    }

    private bool ReadVector(ref Utf8JsonReader reader, FloatBuffer vectors, int index)
    {
        JsonTokens.ReadVector(ref reader, vectors, _inputs[index].VectorLength, Field(index));
        return true;
    }

    private static bool Add<T>(List<T> values, bool ok, T value)
    {
        if (ok)
        {
            values.Add(value);
        }

        return ok;
    }

    /// <summary>ISO 8601 text (UTC when it names no zone) as UTC microseconds, the platform's timestamp.</summary>
    internal static bool TryTimestamp(string? text, out long micros)
    {
        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time);
        micros = ok ? (time.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond : 0;
        return ok;
    }

    private string Field(int index) => string.Create(CultureInfo.InvariantCulture, $"records[{Rows}].{_inputs[index].Name}");

    /// <summary>What a value of the column looks like in JSON, for messages: "a number", "a list of 784 numbers".</summary>
    internal static string Expected(DatasetColumn input) => input.Type switch
    {
        "int64" => "a whole number",
        "float64" => "a number",
        "boolean" => "true or false",
        "timestamp" => "an ISO 8601 date and time as text",
        "vector" => string.Create(CultureInfo.InvariantCulture, $"a list of {input.VectorLength} numbers"),
        _ => "text",
    };
}
