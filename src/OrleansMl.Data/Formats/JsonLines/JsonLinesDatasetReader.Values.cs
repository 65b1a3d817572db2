using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Formats.JsonLines;

/// <summary>The hot path: one line parsed by <see cref="Utf8JsonReader"/> straight into the typed builders.</summary>
public sealed partial class JsonLinesDatasetReader
{
    private long _stamp;
    private byte[] _bytes = new byte[256];
    private char[] _chars = new char[256];

    /// <summary>Appends one line as a row, or rejects it (fail or skip) and returns false.</summary>
    private bool AppendLine(RowBatchBuilder builders, ReadOnlySpan<byte> line, long lineNumber)
    {
        var stamp = ++_stamp;
        var filled = 0;
        var reader = new Utf8JsonReader(line);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Reject(builders, line, lineNumber, JsonLineProblems.Column(ref reader), JsonLineProblems.NotAnObject(ref reader));
            }

            var next = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var c = FindColumn(ref reader, next);
                if (c < 0 || _seenAt[c] == stamp)
                {
                    return Reject(builders, line, lineNumber, JsonLineProblems.Column(ref reader), KeyProblem(ref reader, c));
                }

                _seenAt[c] = stamp;
                filled++;
                next = c + 1;
                reader.Read();
                var column = JsonLineProblems.Column(ref reader);
                if (AppendValue(ref reader, builders[c], _columns[c], ref column) is { } problem)
                {
                    return Reject(builders, line, lineNumber, column, problem);
                }
            }

            reader.Read(); // throws when anything but whitespace follows the object
        }
        catch (JsonException exception)
        {
            var problem = JsonLineProblems.InvalidJson(exception, line, out var column);
            return Reject(builders, line, lineNumber, column, problem);
        }

        if (filled < builders.Length)
        {
            for (var c = 0; c < builders.Length; c++)
            {
                if (_seenAt[c] != stamp)
                {
                    builders[c].AppendNull();
                }
            }
        }

        return true;
    }

    /// <summary>Appends the current value; returns what is wrong with it (moving <paramref name="column"/> to it), or null.</summary>
    private string? AppendValue(ref Utf8JsonReader reader, ColumnBuilder builder, KeyColumn key, ref int column)
    {
        var token = reader.TokenType;
        if (token == JsonTokenType.Null)
        {
            builder.AppendNull();
            return null;
        }

        if (token == JsonTokenType.StartObject)
        {
            return JsonLineProblems.NestedObject(key.Name);
        }

        switch (key.Type)
        {
            case ColumnType.Int64 when token == JsonTokenType.Number && reader.TryGetInt64(out var integer):
                ((Int64ColumnBuilder)builder).Append(integer);
                return null;
            case ColumnType.Float64 when token == JsonTokenType.Number && reader.TryGetDouble(out var number):
                ((Float64ColumnBuilder)builder).Append(number);
                return null;
            case ColumnType.Boolean when token is JsonTokenType.True or JsonTokenType.False:
                ((BooleanColumnBuilder)builder).Append(token == JsonTokenType.True);
                return null;
            case ColumnType.Timestamp when token == JsonTokenType.String:
                return AppendTimestamp(ref reader, (Int64ColumnBuilder)builder, key);
            case ColumnType.String or ColumnType.Categorical when token != JsonTokenType.StartArray:
                return AppendText(ref reader, (StringColumnBuilder)builder, key);
            case ColumnType.Vector when token == JsonTokenType.StartArray:
                return AppendVector(ref reader, (VectorColumnBuilder)builder, key, ref column);
            default:
                return Mismatch(ref reader, key);
        }
    }

    private string? AppendTimestamp(ref Utf8JsonReader reader, Int64ColumnBuilder builder, KeyColumn key)
    {
        if (!TryGetText(ref reader, key, out var text, out var problem))
        {
            return problem;
        }

        if (!Utf8Values.TryParseTimestamp(text, out var micros))
        {
            return Mismatch(ref reader, key);
        }

        builder.Append(micros);
        return null;
    }

    private string? AppendText(ref Utf8JsonReader reader, StringColumnBuilder builder, KeyColumn key)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!TryGetText(ref reader, key, out var text, out var problem))
                {
                    return problem;
                }

                builder.Append(key.ToText(text, CharScratch(text.Length)));
                return null;
            case JsonTokenType.Number:
                builder.Append(key.ToText(reader.ValueSpan, CharScratch(reader.ValueSpan.Length)));
                return null;
            default:
                builder.Append(reader.TokenType == JsonTokenType.True ? "true" : "false");
                return null;
        }
    }

    private static string? AppendVector(ref Utf8JsonReader reader, VectorColumnBuilder builder, KeyColumn key, ref int column)
    {
        var vector = builder.Reserve();
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out var value))
            {
                column = JsonLineProblems.Column(ref reader);
                return JsonLineProblems.VectorElement(key.Name, ref reader);
            }

            if (count < vector.Length)
            {
                vector[count] = value;
            }

            count++;
        }

        return count == vector.Length ? null : $"key '{key.Name}': expected {key.TypeName}, found an array of {count} numbers";
    }

    /// <summary>The unescaped UTF-8 of the current string, after checking that it is valid UTF-8.</summary>
    private bool TryGetText(ref Utf8JsonReader reader, KeyColumn key, out ReadOnlySpan<byte> text, out string? problem)
    {
        var raw = reader.ValueSpan;
        text = raw;
        problem = JsonLineProblems.InvalidUtf8Value(key.Name, raw);
        if (problem is not null || !reader.ValueIsEscaped)
        {
            return problem is null;
        }

        if (_bytes.Length < raw.Length)
        {
            _bytes = new byte[Math.Max(raw.Length, _bytes.Length * 2)];
        }

        try
        {
            text = _bytes.AsSpan(0, reader.CopyString(_bytes));
            return true;
        }
        catch (InvalidOperationException)
        {
            problem = JsonLineProblems.InvalidEscape(key.Name);
            return false;
        }
    }

    private static string Mismatch(ref Utf8JsonReader reader, KeyColumn key) =>
        (reader.TokenType == JsonTokenType.String ? JsonLineProblems.InvalidUtf8Value(key.Name, reader.ValueSpan) : null)
        ?? $"key '{key.Name}': expected {key.TypeName}, found {JsonLineProblems.Found(ref reader)}";

    /// <summary>The column of the current key: the one after the previous key first (keys usually keep their order), else a lookup; -1 when unknown.</summary>
    private int FindColumn(ref Utf8JsonReader reader, int next)
    {
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped)
        {
            if (next < _columns.Length && raw.SequenceEqual(_columns[next].Utf8Name))
            {
                return next;
            }

            if (!Utf8.IsValid(raw))
            {
                return -1;
            }

            var chars = CharScratch(raw.Length);
            return _lookup.TryGetValue(chars[..Encoding.UTF8.GetChars(raw, chars)], out var index) ? index : -1;
        }

        try
        {
            var chars = CharScratch(raw.Length);
            return _lookup.TryGetValue(chars[..reader.CopyString(chars)], out var index) ? index : -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    /// <summary>Why the current key cannot be read: unknown (<paramref name="column"/> -1), repeated, or not decodable.</summary>
    private string KeyProblem(ref Utf8JsonReader reader, int column)
    {
        if (JsonLineProblems.InvalidUtf8Key(reader.ValueSpan) is { } invalid)
        {
            return invalid;
        }

        string name;
        try
        {
            name = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return JsonLineProblems.InvalidEscape(null);
        }

        return column >= 0
            ? JsonLineProblems.DuplicateKey(name)
            : $"key '{name}' is not in the schema inferred from the first {_sampledLines:N0} lines; declare its type in JsonLinesOptions.ColumnTypes or raise JsonLinesOptions.InferenceRows";
    }

    private Span<char> CharScratch(int length)
    {
        if (_chars.Length < length)
        {
            _chars = new char[Math.Max(length, _chars.Length * 2)];
        }

        return _chars;
    }

    /// <summary>One schema column as the parser needs it; Categorical text is interned so repeated labels share one string.</summary>
    private sealed class KeyColumn
    {
        private const int MaxInterned = 4096;

        private readonly Dictionary<string, string>? _interned;
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _internedLookup;

        public KeyColumn(ColumnSchema schema)
        {
            Name = schema.Name;
            Type = schema.Type;
            Utf8Name = Encoding.UTF8.GetBytes(schema.Name);
            TypeName = schema.Type == ColumnType.Vector ? $"vector[{schema.VectorLength}]" : SchemaJson.TypeName(schema.Type);
            if (schema.Type == ColumnType.Categorical)
            {
                _interned = new Dictionary<string, string>(StringComparer.Ordinal);
                _internedLookup = _interned.GetAlternateLookup<ReadOnlySpan<char>>();
            }
        }

        public string Name { get; }

        public ColumnType Type { get; }

        public byte[] Utf8Name { get; }

        /// <summary>The type as error messages name it: float64, vector[3].</summary>
        public string TypeName { get; }

        /// <summary>Decodes valid UTF-8 text, using <paramref name="scratch"/> (at least as long as the text) for Categorical lookups.</summary>
        public string ToText(ReadOnlySpan<byte> utf8, Span<char> scratch)
        {
            if (_interned is null)
            {
                return Encoding.UTF8.GetString(utf8);
            }

            var chars = scratch[..Encoding.UTF8.GetChars(utf8, scratch)];
            if (_internedLookup.TryGetValue(chars, out var text))
            {
                return text;
            }

            text = new string(chars);
            if (_interned.Count < MaxInterned)
            {
                _interned.Add(text, text);
            }

            return text;
        }
    }
}
