using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>The functions: abs, sqrt, log, exp, floor, ceil, round, lower, upper, length, coalesce, and the timestamp functions.</summary>
public sealed partial class ExpressionBinder
{
    private const int MaxRoundDigits = 15;

    private static readonly Dictionary<string, FunctionInfo> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["abs"] = new(1, 1, "abs(number)"),
        ["ceil"] = new(1, 1, "ceil(number)"),
        ["coalesce"] = new(2, int.MaxValue, "coalesce(value, value, ...)"),
        ["exp"] = new(1, 1, "exp(number)"),
        ["floor"] = new(1, 1, "floor(number)"),
        ["length"] = new(1, 1, "length(text)"),
        ["log"] = new(1, 1, "log(number), the natural logarithm"),
        ["lower"] = new(1, 1, "lower(text)"),
        ["round"] = new(1, 2, $"round(number) or round(number, digits) with digits from 0 to {MaxRoundDigits}"),
        ["sqrt"] = new(1, 1, "sqrt(number)"),
        ["upper"] = new(1, 1, "upper(text)"),
        ["year"] = new(1, 1, "year(timestamp)"),
        ["month"] = new(1, 1, "month(timestamp), 1 to 12"),
        ["day"] = new(1, 1, "day(timestamp), the day of the month"),
        ["hour"] = new(1, 1, "hour(timestamp)"),
        ["minute"] = new(1, 1, "minute(timestamp)"),
        ["second"] = new(1, 1, "second(timestamp)"),
        ["dayofweek"] = new(1, 1, "dayofweek(timestamp), 0 = Sunday to 6 = Saturday"),
        ["dayofyear"] = new(1, 1, "dayofyear(timestamp), 1 to 366"),
        ["substring"] = new(2, 3, "substring(text, start) or substring(text, start, length), start counting from 1 (from the end when negative)"),
        ["left"] = new(2, 2, "left(text, count)"),
        ["right"] = new(2, 2, "right(text, count)"),
        ["trim"] = new(1, 1, "trim(text), spaces removed at both ends"),
        ["ltrim"] = new(1, 1, "ltrim(text)"),
        ["rtrim"] = new(1, 1, "rtrim(text)"),
        ["replace"] = new(3, 3, "replace(text, from, to), every occurrence"),
        ["concat"] = new(1, int.MaxValue, "concat(value, ...), nulls left out"),
        ["starts_with"] = new(2, 2, "starts_with(text, prefix)"),
        ["ends_with"] = new(2, 2, "ends_with(text, suffix)"),
        ["contains"] = new(2, 2, "contains(text, part)"),
        ["strpos"] = new(2, 2, "strpos(text, part), 1-based, 0 when absent"),
        ["date_trunc"] = new(2, 2, "date_trunc('year'|'quarter'|'month'|'week'|'day'|'hour'|'minute'|'second', timestamp)"),
    };

    private static readonly Dictionary<string, TimestampPart> Truncations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["year"] = TimestampPart.TruncYear, ["quarter"] = TimestampPart.TruncQuarter, ["month"] = TimestampPart.TruncMonth, ["week"] = TimestampPart.TruncWeek,
        ["day"] = TimestampPart.TruncDay, ["hour"] = TimestampPart.TruncHour, ["minute"] = TimestampPart.TruncMinute, ["second"] = TimestampPart.TruncSecond,
    };

    /// <summary>Names from other SQL dialects, for "did you mean".</summary>
    private static readonly Dictionary<string, string> FunctionAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ceiling"] = "ceil",
        ["ln"] = "log",
        ["len"] = "length",
        ["char_length"] = "length",
        ["lcase"] = "lower",
        ["ucase"] = "upper",
        ["ifnull"] = "coalesce",
        ["nvl"] = "coalesce",
        ["isnull"] = "coalesce",
        ["datepart"] = "date_trunc",
        ["substr"] = "substring",
        ["instr"] = "strpos",
        ["position"] = "strpos",
        ["startswith"] = "starts_with",
        ["weekday"] = "dayofweek",
    };

    private BoundNode BindFunction(FunctionCallNode node)
    {
        if (!Functions.TryGetValue(node.Name, out var function))
        {
            throw UnknownFunction(node);
        }

        var name = node.Name.ToLowerInvariant();
        var count = node.Arguments.Count;
        if (count < function.MinArguments || count > function.MaxArguments)
        {
            throw Error(node, $"{name}() takes {function.DescribeArity()} but was given {count}", $" (usage: {function.Usage}).");
        }

        if (name == "coalesce")
        {
            return BindCoalesce(node);
        }

        if (StringFunctions.TryGetValue(name, out var stringFunction))
        {
            return BindString(stringFunction, node);
        }

        if (name == "date_trunc")
        {
            var unit = node.Arguments[0] is LiteralNode { Value: string text } && Truncations.TryGetValue(text, out var truncation)
                ? truncation
                : throw Error(node.Arguments[0], "date_trunc() needs the unit as a string first", $" ({string.Join(", ", Truncations.Keys.Select(k => $"'{k}'"))}).");
            return Timestamp(unit, name, BindNode(node.Arguments[1]), node.Arguments[1]);
        }

        var argument = BindNode(node.Arguments[0]);
        var syntax = node.Arguments[0];
        return name switch
        {
            "abs" => RequireNumber(name, argument, syntax) switch
            {
                Kind.Int64 => Fold(new Int64AbsNode((PrimitiveNode<long>)argument), argument),
                var kind => Math(MathFunction.Abs, argument, kind, syntax),
            },
            "sqrt" => Math(MathFunction.Sqrt, argument, RequireNumber(name, argument, syntax), syntax),
            "log" => Math(MathFunction.Log, argument, RequireNumber(name, argument, syntax), syntax),
            "exp" => Math(MathFunction.Exp, argument, RequireNumber(name, argument, syntax), syntax),
            "floor" => RequireNumber(name, argument, syntax) == Kind.Int64 ? argument : Math(MathFunction.Floor, argument, Kind.Float64, syntax),
            "ceil" => RequireNumber(name, argument, syntax) == Kind.Int64 ? argument : Math(MathFunction.Ceiling, argument, Kind.Float64, syntax),
            "round" => RequireNumber(name, argument, syntax) == Kind.Int64
                ? argument
                : Math(MathFunction.Round, argument, Kind.Float64, syntax, count == 2 ? RoundDigits(node.Arguments[1]) : 0),
            "lower" => Text(TextFunction.Lower, name, argument, syntax),
            "upper" => Text(TextFunction.Upper, name, argument, syntax),
            "length" => RequireText(name, argument, syntax) == Kind.Null
                ? NullOf(Kind.Int64)
                : Fold(new LengthNode((TextNode)argument), argument),
            "year" => Timestamp(TimestampPart.Year, name, argument, syntax),
            "month" => Timestamp(TimestampPart.Month, name, argument, syntax),
            "day" => Timestamp(TimestampPart.Day, name, argument, syntax),
            "hour" => Timestamp(TimestampPart.Hour, name, argument, syntax),
            "minute" => Timestamp(TimestampPart.Minute, name, argument, syntax),
            "second" => Timestamp(TimestampPart.Second, name, argument, syntax),
            "dayofweek" => Timestamp(TimestampPart.DayOfWeek, name, argument, syntax),
            "dayofyear" => Timestamp(TimestampPart.DayOfYear, name, argument, syntax),
            _ => throw new InvalidOperationException($"Function '{name}' has no binding."),
        };
    }

    private BoundNode Math(MathFunction function, BoundNode argument, Kind kind, ExpressionNode syntax, int digits = 0)
    {
        if (kind == Kind.Null)
        {
            return NullOf(Kind.Float64);
        }

        var value = (PrimitiveNode<double>)Coerce(argument, Kind.Float64, syntax);
        return Fold(new MathNode(function, value, digits), value);
    }

    private static readonly Dictionary<string, StringFunction> StringFunctions = new(StringComparer.Ordinal)
    {
        ["substring"] = StringFunction.Substring, ["left"] = StringFunction.Left, ["right"] = StringFunction.Right, ["trim"] = StringFunction.Trim,
        ["ltrim"] = StringFunction.LeftTrim, ["rtrim"] = StringFunction.RightTrim, ["replace"] = StringFunction.Replace, ["concat"] = StringFunction.Concat,
        ["starts_with"] = StringFunction.StartsWith, ["ends_with"] = StringFunction.EndsWith, ["contains"] = StringFunction.Contains, ["strpos"] = StringFunction.Position,
    };

    /// <summary>The string functions: text first (concat: any value, as text), then text or whole-number arguments as each function takes them.</summary>
    private BoundNode BindString(StringFunction function, FunctionCallNode node)
    {
        var name = node.Name.ToLowerInvariant();
        var arguments = new BoundNode[node.Arguments.Count];
        for (var a = 0; a < arguments.Length; a++)
        {
            var argument = BindNode(node.Arguments[a]);
            var wantsNumber = a > 0 && function is StringFunction.Substring or StringFunction.Left or StringFunction.Right;
            arguments[a] = (KindOf(argument), wantsNumber, function) switch
            {
                (Kind.Null, true, _) => NullOf(Kind.Int64),
                (Kind.Null, false, _) => NullOf(Kind.Text),
                (Kind.Int64, true, _) or (Kind.Text, false, _) => argument,
                (_, false, StringFunction.Concat) => Fold(new TextCastNode(argument, orNull: false), argument),
                _ => throw Error(node.Arguments[a], $"{name}() needs {(wantsNumber ? "a whole number" : "text")} here, not {TypeName(argument)}"),
            };
        }

        BoundNode call = function switch
        {
            StringFunction.StartsWith or StringFunction.EndsWith or StringFunction.Contains => new StringTestNode(function, arguments),
            StringFunction.Position => new StringPositionNode(arguments),
            _ => new StringTextNode(function, arguments),
        };
        return Fold(call, arguments);
    }

    private BoundNode Timestamp(TimestampPart part, string name, BoundNode argument, ExpressionNode syntax) => KindOf(argument) switch
    {
        Kind.Null => NullOf(part >= TimestampPart.TruncYear ? Kind.Timestamp : Kind.Int64),
        Kind.Timestamp => Fold(new TimestampPartNode(part, (PrimitiveNode<long>)argument), argument),
        Kind.Text when argument is TextConstant => Fold(new TimestampPartNode(part, (PrimitiveNode<long>)Coerce(argument, Kind.Timestamp, syntax)), argument),
        _ => throw Error(syntax, $"{name}() needs a timestamp, not {TypeName(argument)}"),
    };

    private BoundNode Text(TextFunction function, string name, BoundNode argument, ExpressionNode syntax) =>
        RequireText(name, argument, syntax) == Kind.Null
            ? NullOf(Kind.Text)
            : Fold(new TextFunctionNode(function, (TextNode)argument), argument);

    private BoundNode BindCoalesce(FunctionCallNode node)
    {
        var arguments = node.Arguments.Select(BindNode).ToList();

        // The common family of all arguments, as for comparisons.
        BoundNode? typed = null;
        var kind = Kind.Null;
        for (var i = 0; i < arguments.Count; i++)
        {
            if (typed is null)
            {
                (typed, kind) = KindOf(arguments[i]) == Kind.Null ? (null, Kind.Null) : (arguments[i], KindOf(arguments[i]));
                continue;
            }

            var common = Unify(typed, arguments[i]) ?? throw Error(node.Arguments[i], $"coalesce() cannot mix {TypeName(typed)} and {TypeName(arguments[i])}");
            if (common != kind)
            {
                (typed, kind) = (KindOf(arguments[i]) == common ? arguments[i] : typed, common);
            }
        }

        if (kind == Kind.Null)
        {
            return UntypedNull.Instance;
        }

        var converted = new List<BoundNode>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (!CanCoerce(arguments[i], kind))
            {
                throw Error(node.Arguments[i], $"coalesce() cannot mix {kind.ToString().ToLowerInvariant()} and {TypeName(arguments[i])}");
            }

            // A null argument never supplies a value; a constant one ends the list.
            var argument = Coerce(arguments[i], kind, node.Arguments[i]);
            if (!IsNullConstant(argument))
            {
                converted.Add(argument);
                if (argument.IsConstant)
                {
                    break;
                }
            }
        }

        if (converted.Count == 0)
        {
            return NullOf(kind);
        }

        if (converted.Count == 1)
        {
            return converted[0];
        }

        var allCategorical = converted.All(a => a.Type == ColumnType.Categorical);
        BoundNode result = kind switch
        {
            Kind.Int64 or Kind.Timestamp => new CoalesceNode<long>([.. converted.Cast<PrimitiveNode<long>>()]),
            Kind.Float64 => new CoalesceNode<double>([.. converted.Cast<PrimitiveNode<double>>()]),
            Kind.Boolean => new CoalesceNode<bool>([.. converted.Cast<PrimitiveNode<bool>>()]),
            _ => new TextCoalesceNode(allCategorical ? ColumnType.Categorical : ColumnType.String, [.. converted.Cast<TextNode>()]),
        };
        return Fold(result, [.. converted]);
    }

    private Kind RequireNumber(string name, BoundNode argument, ExpressionNode syntax) =>
        KindOf(argument) is var kind && kind is Kind.Int64 or Kind.Float64 or Kind.Null
            ? kind
            : throw Error(syntax, $"{name}() needs a number, not {TypeName(argument)}");

    private Kind RequireText(string name, BoundNode argument, ExpressionNode syntax) =>
        KindOf(argument) is var kind && kind is Kind.Text or Kind.Null
            ? kind
            : throw Error(syntax, $"{name}() needs text (string or categorical), not {TypeName(argument)}");

    private int RoundDigits(ExpressionNode syntax) =>
        syntax is LiteralNode { Value: long digits } && digits is >= 0 and <= MaxRoundDigits
            ? (int)digits
            : throw Error(syntax, $"round() needs a whole number from 0 to {MaxRoundDigits} for its digits");

    private ExpressionException UnknownFunction(FunctionCallNode node)
    {
        var suggestion = FunctionAliases.GetValueOrDefault(node.Name) ?? NameSuggestions.Closest(node.Name, Functions.Keys);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        return Error(node.Position, node.Name.Length, $"Unknown function '{node.Name}'", $"{hint}. Functions: {string.Join(", ", Functions.Keys.Order(StringComparer.Ordinal))}.");
    }

    private sealed record FunctionInfo(int MinArguments, int MaxArguments, string Usage)
    {
        public string DescribeArity() =>
            MinArguments == MaxArguments ? $"{MinArguments} argument{(MinArguments == 1 ? string.Empty : "s")}"
            : MaxArguments == int.MaxValue ? $"at least {MinArguments} arguments"
            : $"{MinArguments} or {MaxArguments} arguments";
    }
}
