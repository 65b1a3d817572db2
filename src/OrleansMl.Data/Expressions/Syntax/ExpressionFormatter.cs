using System.Globalization;
using System.Text;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>Writes a syntax tree back as text: canonical spelling, every operation in parentheses.</summary>
internal static class ExpressionFormatter
{
    public static string Format(ExpressionNode node)
    {
        var builder = new StringBuilder();
        Write(builder, node);
        return builder.ToString();
    }

    public static IEnumerable<ExpressionNode> Children(ExpressionNode node) => node switch
    {
        UnaryNode unary => [unary.Operand],
        BinaryNode binary => [binary.Left, binary.Right],
        IsNullNode isNull => [isNull.Operand],
        InNode inNode => [inNode.Operand, .. inNode.Items],
        BetweenNode between => [between.Operand, between.Lower, between.Upper],
        LikeNode like => [like.Operand],
        FunctionCallNode call => call.Arguments,
        WindowCallNode window => [.. window.Call.Arguments, .. window.PartitionBy, .. window.OrderBy.Select(o => o.Expression)],
        CastNode cast => [cast.Operand],
        CaseNode @case => [.. @case.Operand is { } operand ? [operand] : Array.Empty<ExpressionNode>(), .. @case.Branches.SelectMany(b => new[] { b.When, b.Then }), .. @case.Else is { } otherwise ? [otherwise] : Array.Empty<ExpressionNode>()],
        _ => [],
    };

    /// <summary><paramref name="node"/> with each child replaced by <paramref name="map"/> of it (the node itself when it has none).</summary>
    public static ExpressionNode WithChildren(ExpressionNode node, Func<ExpressionNode, ExpressionNode> map) => node switch
    {
        UnaryNode unary => unary with { Operand = map(unary.Operand) },
        BinaryNode binary => binary with { Left = map(binary.Left), Right = map(binary.Right) },
        IsNullNode isNull => isNull with { Operand = map(isNull.Operand) },
        InNode inNode => inNode with { Operand = map(inNode.Operand) },
        LikeNode like => like with { Operand = map(like.Operand) },
        BetweenNode between => between with { Operand = map(between.Operand), Lower = map(between.Lower), Upper = map(between.Upper) },
        FunctionCallNode call => call with { Arguments = [.. call.Arguments.Select(map)] },
        WindowCallNode window => window with
        {
            Call = window.Call with { Arguments = [.. window.Call.Arguments.Select(map)] },
            PartitionBy = [.. window.PartitionBy.Select(map)],
            OrderBy = [.. window.OrderBy.Select(o => o with { Expression = map(o.Expression) })],
        },
        CastNode cast => cast with { Operand = map(cast.Operand) },
        CaseNode @case => @case with
        {
            Operand = @case.Operand is { } operand ? map(operand) : null,
            Branches = [.. @case.Branches.Select(b => new CaseBranch(map(b.When), map(b.Then)))],
            Else = @case.Else is { } otherwise ? map(otherwise) : null,
        },
        _ => node,
    };

    public static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.LessThan => "<",
        BinaryOperator.LessThanOrEqual => "<=",
        BinaryOperator.GreaterThan => ">",
        BinaryOperator.GreaterThanOrEqual => ">=",
        BinaryOperator.And => "AND",
        BinaryOperator.Or => "OR",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static string Literal(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatLiteral(d),
        string s => $"'{s.Replace("'", "''", StringComparison.Ordinal)}'",
        _ => throw new ArgumentException($"A literal cannot be a {value.GetType().Name}.", nameof(value)),
    };

    public static string ColumnName(string name) =>
        name.Length > 0 && Lexer.IsIdentifierStart(name[0]) && name.All(Lexer.IsIdentifierPart) && !Lexer.IsKeyword(name) && !Parser.SqlKeywords.Contains(name)
            ? name
            : $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string FloatLiteral(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static void Write(StringBuilder builder, ExpressionNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                builder.Append(Literal(literal.Value));
                break;
            case ColumnReferenceNode column:
                if (column.Table is { } table)
                {
                    builder.Append(ColumnName(table)).Append('.');
                }

                builder.Append(ColumnName(column.Name));
                break;
            case UnaryNode unary:
                builder.Append(unary.Operator == UnaryOperator.Negate ? "(-" : "(NOT ");
                Write(builder, unary.Operand);
                builder.Append(')');
                break;
            case BinaryNode binary:
                builder.Append('(');
                Write(builder, binary.Left);
                builder.Append(' ').Append(Symbol(binary.Operator)).Append(' ');
                Write(builder, binary.Right);
                builder.Append(')');
                break;
            case IsNullNode isNull:
                builder.Append('(');
                Write(builder, isNull.Operand);
                builder.Append(isNull.Negated ? " IS NOT NULL)" : " IS NULL)");
                break;
            case InNode inNode:
                builder.Append('(');
                Write(builder, inNode.Operand);
                builder.Append(inNode.Negated ? " NOT IN (" : " IN (");
                WriteList(builder, inNode.Items);
                builder.Append("))");
                break;
            case BetweenNode between:
                builder.Append('(');
                Write(builder, between.Operand);
                builder.Append(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                Write(builder, between.Lower);
                builder.Append(" AND ");
                Write(builder, between.Upper);
                builder.Append(')');
                break;
            case LikeNode like:
                builder.Append('(');
                Write(builder, like.Operand);
                builder.Append(like.Negated ? " NOT " : " ").Append(like.IgnoreCase ? "ILIKE " : "LIKE ").Append(Literal(like.Pattern)).Append(')');
                break;
            case FunctionCallNode call:
                builder.Append(call.Name.ToLowerInvariant()).Append('(').Append(call.Star ? "*" : call.Distinct ? "DISTINCT " : "");
                WriteList(builder, call.Arguments);
                builder.Append(')');
                break;
            case WindowCallNode window:
                WriteWindow(builder, window);
                break;
            case CastNode cast:
                builder.Append(cast.OrNull ? "TRY_CAST(" : "CAST(");
                Write(builder, cast.Operand);
                builder.Append(" AS ").Append(cast.TypeName.ToUpperInvariant()).Append(')');
                break;
            case CaseNode @case:
                builder.Append("(CASE");
                if (@case.Operand is { } operand)
                {
                    builder.Append(' ');
                    Write(builder, operand);
                }

                foreach (var branch in @case.Branches)
                {
                    builder.Append(" WHEN ");
                    Write(builder, branch.When);
                    builder.Append(" THEN ");
                    Write(builder, branch.Then);
                }

                if (@case.Else is { } otherwise)
                {
                    builder.Append(" ELSE ");
                    Write(builder, otherwise);
                }

                builder.Append(" END)");
                break;
            default:
                throw new ArgumentException($"Unknown expression node {node.GetType().Name}.", nameof(node));
        }
    }

    private static void WriteWindow(StringBuilder builder, WindowCallNode window)
    {
        Write(builder, window.Call);
        builder.Append(" OVER (");
        var space = string.Empty;
        if (window.PartitionBy.Count > 0)
        {
            builder.Append("PARTITION BY ");
            WriteList(builder, window.PartitionBy);
            space = " ";
        }

        for (var i = 0; i < window.OrderBy.Count; i++)
        {
            var item = window.OrderBy[i];
            builder.Append(i == 0 ? space + "ORDER BY " : ", ");
            Write(builder, item.Expression);
            builder.Append(item.Descending ? " DESC" : string.Empty).Append(item.NullsFirst ? " NULLS FIRST" : string.Empty);
            space = " ";
        }

        if (window.Frame is { } frame)
        {
            builder.Append(space).Append(frame);
        }

        builder.Append(')');
    }

    private static void WriteList(StringBuilder builder, IEnumerable<ExpressionNode> items)
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            Write(builder, item);
            first = false;
        }
    }
}
