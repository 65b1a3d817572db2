using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>The functions: abs, sqrt, log, exp, floor, ceil, round, lower, upper, length, coalesce.</summary>
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
