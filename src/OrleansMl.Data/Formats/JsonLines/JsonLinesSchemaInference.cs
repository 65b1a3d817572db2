using System.Text.Json;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>
/// Infers a schema from sample lines: the top-level keys in order of first appearance, each typed
/// from its values. Numbers are observed as their raw text (Int64 or Float64), true/false as
/// boolean text, strings as text only (String, Categorical, or Timestamp when every one is an ISO
/// 8601 date-time); null is not observed. A key whose first non-null value is an array of numbers
/// is a Vector of that array's length. A line is observed only when all of it is valid.
/// </summary>
internal sealed class JsonLinesSchemaInference(string source, int categoricalMaxDistinct)
{
    private static readonly byte[] TrueText = "true"u8.ToArray();
    private static readonly byte[] FalseText = "false"u8.ToArray();

    private readonly List<KeyStats> _keys = [];
    private readonly Dictionary<string, KeyStats> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lineKeys = new(StringComparer.Ordinal);
    private readonly List<Observation> _pending = [];

    /// <summary>Observes every key and value of one line, or none of them when the line is invalid.</summary>
    public bool TryObserve(ReadOnlySpan<byte> line, out int column, out string problem)
    {
        _lineKeys.Clear();
        _pending.Clear();
        var reader = new Utf8JsonReader(line);
        try
        {
            if (!Scan(ref reader, out column, out problem))
            {
                return false;
            }
        }
        catch (JsonException exception)
        {
            problem = JsonLineProblems.InvalidJson(exception, line, out column);
            return false;
        }

        foreach (var observation in _pending)
        {
            Commit(observation);
        }

        return true;
    }

    /// <summary>The schema of the keys observed, with <paramref name="overrides"/> applied (and added when not observed).</summary>
    public DatasetSchema Build(IReadOnlyDictionary<string, ColumnType>? overrides)
    {
        overrides ??= new Dictionary<string, ColumnType>();
        var columns = new List<ColumnSchema>(_keys.Count + overrides.Count);
        foreach (var key in _keys)
        {
            var type = overrides.TryGetValue(key.Name, out var given) ? given
                : key.VectorLength > 0 ? ColumnType.Vector
                : key.Inference.Infer();
            columns.Add(ToColumn(key.Name, type, key.VectorLength));
        }

        foreach (var (name, type) in overrides)
        {
            if (!_byName.ContainsKey(name))
            {
                columns.Add(ToColumn(name, type, 0));
            }
        }

        return new DatasetSchema(columns);
    }

    private ColumnSchema ToColumn(string name, ColumnType type, int vectorLength) =>
        type != ColumnType.Vector ? new ColumnSchema(name, type)
        : vectorLength > 0 ? new ColumnSchema(name, type, vectorLength)
        : throw new SchemaException($"{source}: key '{name}' is declared a vector, but the sampled lines hold no array of numbers to give its length.");

    private bool Scan(ref Utf8JsonReader reader, out int column, out string problem)
    {
        reader.Read();
        column = JsonLineProblems.Column(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problem = JsonLineProblems.NotAnObject(ref reader);
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            column = JsonLineProblems.Column(ref reader);
            if (!TryReadKey(ref reader, out var key, out problem))
            {
                return false;
            }

            reader.Read();
            column = JsonLineProblems.Column(ref reader);
            if (!TryReadValue(ref reader, key, ref column, out problem))
            {
                return false;
            }
        }

        reader.Read(); // throws when anything but whitespace follows the object
        problem = string.Empty;
        return true;
    }

    private bool TryReadKey(ref Utf8JsonReader reader, out string key, out string problem)
    {
        key = string.Empty;
        if (JsonLineProblems.InvalidUtf8Key(reader.ValueSpan) is { } invalid)
        {
            problem = invalid;
            return false;
        }

        try
        {
            key = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            problem = JsonLineProblems.InvalidEscape(null);
            return false;
        }

        problem = _lineKeys.Add(key) ? string.Empty : JsonLineProblems.DuplicateKey(key);
        return problem.Length == 0;
    }

    private bool TryReadValue(ref Utf8JsonReader reader, string key, ref int column, out string problem)
    {
        problem = string.Empty;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                _pending.Add(new Observation(key, reader.TokenType, null, 0));
                return true;
            case JsonTokenType.Number:
                _pending.Add(new Observation(key, reader.TokenType, reader.ValueSpan.ToArray(), 0));
                return true;
            case JsonTokenType.True or JsonTokenType.False:
                _pending.Add(new Observation(key, reader.TokenType, reader.TokenType == JsonTokenType.True ? TrueText : FalseText, 0));
                return true;
            case JsonTokenType.String:
                if (JsonLineProblems.InvalidUtf8Value(key, reader.ValueSpan) is { } invalid)
                {
                    problem = invalid;
                    return false;
                }

                try
                {
                    var text = new byte[reader.ValueSpan.Length];
                    var length = reader.CopyString(text);
                    _pending.Add(new Observation(key, reader.TokenType, text[..length], 0));
                    return true;
                }
                catch (InvalidOperationException)
                {
                    problem = JsonLineProblems.InvalidEscape(key);
                    return false;
                }

            case JsonTokenType.StartArray:
                return TryReadArray(ref reader, key, ref column, out problem);
            default:
                problem = JsonLineProblems.NestedObject(key);
                return false;
        }
    }

    private bool TryReadArray(ref Utf8JsonReader reader, string key, ref int column, out string problem)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                column = JsonLineProblems.Column(ref reader);
                problem = JsonLineProblems.VectorElement(key, ref reader);
                return false;
            }

            count++;
        }

        if (count == 0)
        {
            problem = $"key '{key}': an empty array cannot be a vector; write null for a missing vector";
            return false;
        }

        _pending.Add(new Observation(key, JsonTokenType.StartArray, null, count));
        problem = string.Empty;
        return true;
    }

    private void Commit(Observation observation)
    {
        if (!_byName.TryGetValue(observation.Key, out var key))
        {
            key = new KeyStats(observation.Key, new ColumnTypeInference(categoricalMaxDistinct));
            _byName.Add(key.Name, key);
            _keys.Add(key);
        }

        switch (observation.Token)
        {
            case JsonTokenType.Null:
                break;
            case JsonTokenType.StartArray:
                if (key.Kind == ValueKind.Unknown)
                {
                    key.Kind = ValueKind.Vector;
                    key.VectorLength = observation.ArrayLength;
                }

                break;
            default:
                if (key.Kind == ValueKind.Unknown)
                {
                    key.Kind = ValueKind.Scalar;
                }

                if (key.Kind == ValueKind.Scalar)
                {
                    key.Inference.Observe(observation.Text, textOnly: observation.Token == JsonTokenType.String);
                }

                break;
        }
    }

    private enum ValueKind
    {
        Unknown,
        Scalar,
        Vector,
    }

    private sealed class KeyStats(string name, ColumnTypeInference inference)
    {
        public string Name { get; } = name;

        public ColumnTypeInference Inference { get; } = inference;

        public ValueKind Kind { get; set; }

        public int VectorLength { get; set; }
    }

    private readonly record struct Observation(string Key, JsonTokenType Token, byte[]? Text, int ArrayLength);
}
