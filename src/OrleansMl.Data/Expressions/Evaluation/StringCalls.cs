using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// substring, left, right, trim, ltrim, rtrim, replace and concat (text), starts_with, ends_with and
/// contains (boolean), strpos (int64), per row over text and integer arguments, with DuckDB's
/// semantics: positions count characters (UTF-16 code units) from 1, a negative start counts from
/// the end; a null argument gives null, except in concat, which leaves nulls out.
/// </summary>
internal static class StringCalls
{
    public static string? Text(StringFunction function, BoundNode[] arguments, StringArguments args, int row)
    {
        if (function == StringFunction.Concat)
        {
            var parts = new string?[arguments.Length];
            for (var a = 0; a < parts.Length; a++)
            {
                parts[a] = args.Text(a, row);
            }

            return string.Concat(parts);
        }

        if (args.Text(0, row) is not { } value || HasNullArgument(arguments, args, row))
        {
            return null;
        }

        switch (function)
        {
            case StringFunction.Trim: return value.Trim(' ');
            case StringFunction.LeftTrim: return value.TrimStart(' ');
            case StringFunction.RightTrim: return value.TrimEnd(' ');
            case StringFunction.Left: return Cut(value, 1, args.Number(1, row)!.Value);
            case StringFunction.Right:
                var count = Math.Clamp(args.Number(1, row)!.Value, 0, value.Length);
                return value[(int)(value.Length - count)..];
            case StringFunction.Replace:
                var from = args.Text(1, row)!;
                return from.Length == 0 ? value : value.Replace(from, args.Text(2, row)!, StringComparison.Ordinal);
            default: // substring(text, start[, length])
                return Cut(value, args.Number(1, row)!.Value, arguments.Length == 2 ? int.MaxValue : args.Number(2, row)!.Value);
        }
    }

    public static bool? Test(StringFunction function, BoundNode[] arguments, StringArguments args, int row)
    {
        if (args.Text(0, row) is not { } value || args.Text(1, row) is not { } other)
        {
            return null;
        }

        return function switch
        {
            StringFunction.StartsWith => value.StartsWith(other, StringComparison.Ordinal),
            StringFunction.EndsWith => value.EndsWith(other, StringComparison.Ordinal),
            _ => value.Contains(other, StringComparison.Ordinal),
        };
    }

    public static long? Position(StringArguments args, int row) =>
        args.Text(0, row) is { } value && args.Text(1, row) is { } other ? value.IndexOf(other, StringComparison.Ordinal) + 1 : null;

    private static bool HasNullArgument(BoundNode[] arguments, StringArguments args, int row)
    {
        for (var a = 1; a < arguments.Length; a++)
        {
            if (arguments[a] is TextNode ? args.Text(a, row) is null : args.Number(a, row) is null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Characters from 1-based <paramref name="start"/> (from the end when negative), at most <paramref name="length"/> of them.</summary>
    private static string Cut(string value, long start, long length)
    {
        if (start < 0)
        {
            start = value.Length + start + 1;
        }

        var from = Math.Max(start, 1);
        var to = Math.Min(start + Math.Max(length, 0), value.Length + 1L); // exclusive, 1-based
        return to <= from ? string.Empty : value.Substring((int)(from - 1), (int)(to - from));
    }
}

/// <summary>A string function with a text result (see <see cref="StringCalls"/>).</summary>
internal sealed class StringTextNode(StringFunction function, BoundNode[] arguments) : TextNode(ColumnType.String)
{
    public override TextValues Evaluate(EvaluationContext context)
    {
        var args = new StringArguments(arguments, context);
        var result = new string?[context.RowCount];
        for (var row = 0; row < result.Length; row++)
        {
            result[row] = StringCalls.Text(function, arguments, args, row);
        }

        args.Release();
        return TextValues.Rows(result);
    }
}

/// <summary>starts_with, ends_with and contains.</summary>
internal sealed class StringTestNode(StringFunction function, BoundNode[] arguments) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var args = new StringArguments(arguments, context);
        var values = new bool[context.RowCount];
        bool[]? nulls = null;
        for (var row = 0; row < values.Length; row++)
        {
            if (StringCalls.Test(function, arguments, args, row) is { } test)
            {
                values[row] = test;
            }
            else
            {
                (nulls ??= new bool[values.Length])[row] = true;
            }
        }

        args.Release();
        return Values<bool>.Own(values, nulls);
    }
}

/// <summary>strpos(text, part): the 1-based position of the first occurrence, 0 when there is none.</summary>
internal sealed class StringPositionNode(BoundNode[] arguments) : PrimitiveNode<long>(ColumnType.Int64)
{
    public override Values<long> Evaluate(EvaluationContext context)
    {
        var args = new StringArguments(arguments, context);
        var values = new long[context.RowCount];
        bool[]? nulls = null;
        for (var row = 0; row < values.Length; row++)
        {
            if (StringCalls.Position(args, row) is { } position)
            {
                values[row] = position;
            }
            else
            {
                (nulls ??= new bool[values.Length])[row] = true;
            }
        }

        args.Release();
        return Values<long>.Own(values, nulls);
    }
}
