using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>
/// Type-checks a parsed expression against a dataset schema and builds its vectorised evaluator. Every
/// error (unknown names, types that do not go together, a bad date literal) surfaces here, before any
/// data is read. Constant parts are computed once, here.
/// </summary>
public sealed partial class ExpressionBinder
{
    private readonly string _text;
    private readonly DatasetSchema _schema;
    private readonly List<ReferencedColumn> _columns = [];

    private ExpressionBinder(string text, DatasetSchema schema)
    {
        _text = text;
        _schema = schema;
    }

    /// <summary>Binds <paramref name="expression"/>, parsed from <paramref name="text"/>, to <paramref name="schema"/>.</summary>
    /// <param name="text">The source the expression was parsed from; error messages quote it.</param>
    /// <exception cref="ExpressionException">A name is unknown or types do not go together; the message points at where.</exception>
    public static BoundExpression Bind(ExpressionNode expression, DatasetSchema schema, string text)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(text);
        var binder = new ExpressionBinder(text, schema);
        var root = binder.BindNode(expression);
        return new BoundExpression(text, root, binder._columns);
    }

    /// <summary>As <see cref="Bind"/>, and checks that the expression is a true/false condition, as a filter needs.</summary>
    /// <exception cref="ExpressionException">As <see cref="Bind"/>, or the expression is not a condition.</exception>
    public static BoundExpression BindPredicate(ExpressionNode expression, DatasetSchema schema, string text)
    {
        var bound = Bind(expression, schema, text);
        if (bound.ResultType == ColumnType.Boolean)
        {
            return bound;
        }

        var shown = expression.Length <= 40 && expression.End <= text.Length ? text.Substring(expression.Position, expression.Length) : "...";
        var example = bound.ResultType switch
        {
            ColumnType.String or ColumnType.Categorical => $"{shown} = 'value'",
            ColumnType.Timestamp => $"{shown} >= '2024-01-01'",
            _ => $"{shown} > 0",
        };
        throw new ExpressionException(
            text,
            expression.Position,
            expression.Length,
            $"A filter needs a true/false condition, but this expression is {TypeName(bound.ResultType)}",
            $" (compare it, e.g. {example}).");
    }

    private BoundNode BindNode(ExpressionNode node) => node switch
    {
        LiteralNode literal => BindLiteral(literal),
        ColumnReferenceNode column => BindColumn(column),
        UnaryNode unary => BindUnary(unary),
        BinaryNode binary => BindBinary(binary),
        IsNullNode isNull => BindIsNull(isNull),
        InNode inNode => BindIn(inNode),
        BetweenNode between => BindBetween(between),
        LikeNode like => BindLike(like),
        FunctionCallNode call => BindFunction(call),
        CaseNode @case => BindCase(@case),
        CastNode cast => BindCast(cast),
        WindowCallNode window => throw Error(window, "Window functions are not allowed here", "; they go in a query's select list or ORDER BY."),
        _ => throw new ArgumentException($"Unknown expression node {node.GetType().Name}.", nameof(node)),
    };

    private static BoundNode BindLiteral(LiteralNode literal) => literal.Value switch
    {
        null => UntypedNull.Instance,
        long value => new PrimitiveConstant<long>(ColumnType.Int64, value),
        double value => new PrimitiveConstant<double>(ColumnType.Float64, value),
        bool value => new PrimitiveConstant<bool>(ColumnType.Boolean, value),
        string value => new TextConstant(ColumnType.String, value),
        var value => throw new ArgumentException($"A literal holds a long, double, string, bool or null, not a {value.GetType().Name}.", nameof(literal)),
    };

    private BoundNode BindColumn(ColumnReferenceNode node)
    {
        if (node.Table is { } table)
        {
            throw Error(node, $"'{table}.' names a table, which only a SQL query over several has", $"; write {ExpressionFormatter.ColumnName(node.Name)} alone.");
        }

        var index = _schema.IndexOf(node.Name);
        if (index < 0)
        {
            throw UnknownColumn(node);
        }

        var column = _schema[index];
        var slot = _columns.FindIndex(c => c.Name == column.Name);
        if (slot < 0 && column.Type != ColumnType.Vector)
        {
            slot = _columns.Count;
            _columns.Add(new ReferencedColumn(column.Name, column.Type));
        }

        return column.Type switch
        {
            ColumnType.Int64 or ColumnType.Timestamp => new PrimitiveColumnReference<long>(column.Type, slot),
            ColumnType.Float64 => new PrimitiveColumnReference<double>(column.Type, slot),
            ColumnType.Boolean => new PrimitiveColumnReference<bool>(column.Type, slot),
            ColumnType.String or ColumnType.Categorical => new TextColumnReference(column.Type, slot),
            ColumnType.Vector => throw Error(
                node,
                $"Column '{node.Name}' is a vector",
                $" (vector[{column.VectorLength}]); expressions work on int64, float64, boolean, string, categorical and timestamp columns."),
            _ => throw Error(node, $"Column '{node.Name}' has type {column.Type}, which expressions do not support"),
        };
    }

    private BoundNode BindUnary(UnaryNode node)
    {
        var operand = BindNode(node.Operand);
        if (node.Operator == UnaryOperator.Negate)
        {
            return operand switch
            {
                UntypedNull => operand,
                PrimitiveNode<long> value when value.Type == ColumnType.Int64 => Fold(new NegateNode<long>(value), value),
                PrimitiveNode<double> value => Fold(new NegateNode<double>(value), value),
                _ => throw Error(node.Position, 1, $"'-' cannot be applied to {TypeName(operand)}"),
            };
        }

        if (operand is PrimitiveNode<bool> condition)
        {
            return Fold(new NotNode(condition), condition);
        }

        var length = node.Position < _text.Length && _text[node.Position] == '!' ? 1 : 3;
        throw Error(node.Position, length, $"'{Source(node.Position, length, "NOT")}' cannot be applied to {TypeName(operand)}");
    }

    private BoundNode BindIsNull(IsNullNode node)
    {
        var operand = BindNode(node.Operand);
        return Fold(new NullTestNode(operand, node.Negated), operand);
    }

    /// <summary>The constant that <paramref name="node"/> evaluates to when all of <paramref name="operands"/> are constant; else the node.</summary>
    private static BoundNode Fold(BoundNode node, params ReadOnlySpan<BoundNode> operands)
    {
        foreach (var operand in operands)
        {
            if (!operand.IsConstant)
            {
                return node;
            }
        }

        return node.ToConstant();
    }

    private ExpressionException UnknownColumn(ColumnReferenceNode node)
    {
        var names = _schema.Columns.Select(c => c.Name).ToList();
        var suggestion = NameSuggestions.Closest(node.Name, names);
        var detail = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        detail += names.Count == 0 ? ". The dataset has no columns." : $". Columns: {NameSuggestions.List(names)}.";
        if (node.Position < _text.Length && _text[node.Position] == '"')
        {
            detail += $" Strings go in single quotes: '{node.Name.Replace("'", "''", StringComparison.Ordinal)}'.";
        }

        return Error(node, $"Unknown column '{node.Name}'", detail);
    }

    /// <summary>The source text of a span, or <paramref name="fallback"/> when the span is not in it (a tree built in code).</summary>
    private string Source(int position, int length, string fallback) =>
        position >= 0 && length > 0 && position + length <= _text.Length ? _text.Substring(position, length) : fallback;

    private ExpressionException Error(ExpressionNode node, string problem, string? detail = null) =>
        new(_text, node.Position, node.Length, problem, detail);

    private ExpressionException Error(int position, int length, string problem, string? detail = null) =>
        new(_text, position, length, problem, detail);

    private static string TypeName(BoundNode node) => node is UntypedNull ? "null" : TypeName(node.Type);

    private static string TypeName(ColumnType type) => type.ToString().ToLowerInvariant();
}
