using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>Operators, IN and BETWEEN: which types go together and how operands are converted.</summary>
public sealed partial class ExpressionBinder
{
    /// <summary>The type families of the rules: String and Categorical are both text; null has no type yet.</summary>
    private enum Kind
    {
        Null,
        Int64,
        Float64,
        Boolean,
        Text,
        Timestamp,
    }

    private BoundNode BindBinary(BinaryNode node)
    {
        var left = BindNode(node.Left);
        var right = BindNode(node.Right);
        var site = new Site(Source(node.OperatorPosition, node.OperatorLength, ExpressionFormatter.Symbol(node.Operator)), node.OperatorPosition, node.OperatorLength);
        return node.Operator switch
        {
            BinaryOperator.And or BinaryOperator.Or => BindLogical(node.Operator == BinaryOperator.And, left, right, site),
            BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo =>
                BindArithmetic(node, left, right, site),
            _ => BindComparison(node.Operator, left, right, node.Left, node.Right, site),
        };
    }

    private BoundNode BindArithmetic(BinaryNode node, BoundNode left, BoundNode right, Site site)
    {
        var (x, y) = (KindOf(left), KindOf(right));
        if (x is not (Kind.Null or Kind.Int64 or Kind.Float64) || y is not (Kind.Null or Kind.Int64 or Kind.Float64))
        {
            throw Mismatch(site, left, right);
        }

        if (x == Kind.Null && y == Kind.Null)
        {
            return UntypedNull.Instance;
        }

        // Int64 stays Int64 for + - * %; '/' and any Float64 operand make Float64.
        var kind = node.Operator == BinaryOperator.Divide || x == Kind.Float64 || y == Kind.Float64 ? Kind.Float64 : Kind.Int64;
        left = Coerce(left, kind, node.Left);
        right = Coerce(right, kind, node.Right);
        if (IsNullConstant(left) || IsNullConstant(right))
        {
            return NullOf(kind);
        }

        return kind == Kind.Int64
            ? Fold(new ArithmeticNode<long>(node.Operator, (PrimitiveNode<long>)left, (PrimitiveNode<long>)right), left, right)
            : Fold(new ArithmeticNode<double>(node.Operator, (PrimitiveNode<double>)left, (PrimitiveNode<double>)right), left, right);
    }

    private BoundNode BindComparison(BinaryOperator op, BoundNode left, BoundNode right, ExpressionNode leftSyntax, ExpressionNode rightSyntax, Site site)
    {
        var kind = Unify(left, right) ?? throw Mismatch(site, left, right);
        if (kind == Kind.Boolean && op is not (BinaryOperator.Equal or BinaryOperator.NotEqual))
        {
            throw Error(site.Position, site.Length, $"'{site.Operator}' cannot be applied to {TypeName(left)} and {TypeName(right)}", " (booleans compare only with = and !=).");
        }

        left = Coerce(left, kind, leftSyntax);
        right = Coerce(right, kind, rightSyntax);
        if (kind == Kind.Null || IsNullConstant(left) || IsNullConstant(right))
        {
            return NullOf(Kind.Boolean);
        }

        BoundNode node = kind switch
        {
            Kind.Int64 or Kind.Timestamp => new ComparisonNode<long>(op, (PrimitiveNode<long>)left, (PrimitiveNode<long>)right),
            Kind.Float64 => new ComparisonNode<double>(op, (PrimitiveNode<double>)left, (PrimitiveNode<double>)right),
            Kind.Text => new TextComparisonNode(op, (TextNode)left, (TextNode)right),
            _ => new BooleanEqualityNode(op == BinaryOperator.NotEqual, (PrimitiveNode<bool>)left, (PrimitiveNode<bool>)right),
        };
        return Fold(node, left, right);
    }

    private BoundNode BindLogical(bool isAnd, BoundNode left, BoundNode right, Site site) =>
        left is PrimitiveNode<bool> x && x.Type == ColumnType.Boolean && right is PrimitiveNode<bool> y && y.Type == ColumnType.Boolean
            ? Fold(new LogicalNode(isAnd, x, y), x, y)
            : throw Mismatch(site, left, right);

    private BoundNode BindIn(InNode node)
    {
        var operand = BindNode(node.Operand);
        var site = node.Negated ? "NOT IN" : "IN";
        var listHasNull = false;
        var items = new List<(BoundNode Value, LiteralNode Syntax)>();
        var kind = KindOf(operand);
        foreach (var item in node.Items)
        {
            var value = BindLiteral(item);
            if (value is UntypedNull)
            {
                listHasNull = true;
                continue;
            }

            // An Int64 operand with a Float64 item compares as Float64.
            var common = Unify(operand, value) ?? throw Mismatch(new Site(site, item.Position, item.Length), operand, value);
            kind = common == Kind.Float64 ? Kind.Float64 : kind;
            items.Add((value, item));
        }

        if (kind == Kind.Null)
        {
            return NullOf(Kind.Boolean);
        }

        var x = Coerce(operand, kind, node.Operand);
        BoundNode result = kind switch
        {
            Kind.Int64 or Kind.Timestamp => new InListNode<long>((PrimitiveNode<long>)x, [.. items.Select(i => ((PrimitiveConstant<long>)Coerce(i.Value, kind, i.Syntax)).Value)], listHasNull),
            Kind.Float64 => new InListNode<double>((PrimitiveNode<double>)x, [.. items.Select(i => ((PrimitiveConstant<double>)Coerce(i.Value, kind, i.Syntax)).Value)], listHasNull),
            Kind.Text => new TextInListNode((TextNode)x, [.. items.Select(i => ((TextConstant)i.Value).Value!)], listHasNull),
            _ => BooleanIn((PrimitiveNode<bool>)x, items.Select(i => (PrimitiveNode<bool>)i.Value), listHasNull),
        };
        result = Fold(result, x);
        return node.Negated ? Fold(new NotNode((PrimitiveNode<bool>)result), result) : result;
    }

    /// <summary>b IN (true, null) is b = true OR null: the definition of IN, kept for the rare boolean case.</summary>
    private static PrimitiveNode<bool> BooleanIn(PrimitiveNode<bool> operand, IEnumerable<PrimitiveNode<bool>> items, bool listHasNull)
    {
        PrimitiveNode<bool>? result = null;
        foreach (var item in items)
        {
            var equal = new BooleanEqualityNode(false, operand, item);
            result = result is null ? equal : new LogicalNode(false, result, equal);
        }

        if (listHasNull)
        {
            var unknown = (PrimitiveNode<bool>)NullOf(Kind.Boolean);
            result = result is null ? unknown : new LogicalNode(false, result, unknown);
        }

        return result!;
    }

    private BoundNode BindBetween(BetweenNode node)
    {
        var operand = BindNode(node.Operand);
        var lower = BindNode(node.Lower);
        var upper = BindNode(node.Upper);
        var name = node.Negated ? "NOT BETWEEN" : "BETWEEN";
        var atLeast = (PrimitiveNode<bool>)BindComparison(BinaryOperator.GreaterThanOrEqual, operand, lower, node.Operand, node.Lower, new Site(name, node.Lower.Position, node.Lower.Length));
        var atMost = (PrimitiveNode<bool>)BindComparison(BinaryOperator.LessThanOrEqual, operand, upper, node.Operand, node.Upper, new Site(name, node.Upper.Position, node.Upper.Length));
        var both = Fold(new LogicalNode(true, atLeast, atMost), atLeast, atMost);
        return node.Negated ? Fold(new NotNode((PrimitiveNode<bool>)both), both) : both;
    }

    private BoundNode BindLike(LikeNode node)
    {
        var operand = BindNode(node.Operand);
        var name = (node.Negated ? "NOT " : "") + (node.IgnoreCase ? "ILIKE" : "LIKE");
        var kind = KindOf(operand);
        if (kind is not (Kind.Text or Kind.Null))
        {
            throw Error(node.Operand, $"{name} needs text (string or categorical), not {TypeName(operand)}");
        }

        if (kind == Kind.Null)
        {
            return NullOf(Kind.Boolean);
        }

        var like = Fold(new TextLikeNode((TextNode)operand, node.Pattern, node.IgnoreCase), operand);
        return node.Negated ? Fold(new NotNode((PrimitiveNode<bool>)like), like) : like;
    }

    private static Kind KindOf(BoundNode node) => node is UntypedNull ? Kind.Null : node.Type switch
    {
        ColumnType.Int64 => Kind.Int64,
        ColumnType.Float64 => Kind.Float64,
        ColumnType.Boolean => Kind.Boolean,
        ColumnType.Timestamp => Kind.Timestamp,
        _ => Kind.Text,
    };

    /// <summary>
    /// The family two operands compare in: the same family; null with anything; Int64 with Float64 as
    /// Float64; a timestamp with a text constant (a date literal) as Timestamp. Null when they do not go together.
    /// </summary>
    private static Kind? Unify(BoundNode left, BoundNode right)
    {
        var (x, y) = (KindOf(left), KindOf(right));
        return (x, y) switch
        {
            _ when x == y => x,
            (Kind.Null, _) => y,
            (_, Kind.Null) => x,
            (Kind.Int64, Kind.Float64) or (Kind.Float64, Kind.Int64) => Kind.Float64,
            (Kind.Timestamp, Kind.Text) when right is TextConstant => Kind.Timestamp,
            (Kind.Text, Kind.Timestamp) when left is TextConstant => Kind.Timestamp,
            _ => null,
        };
    }

    /// <summary>True when <paramref name="node"/> can be converted to <paramref name="kind"/> by <see cref="Coerce"/>.</summary>
    private static bool CanCoerce(BoundNode node, Kind kind) => (KindOf(node), kind) switch
    {
        var (from, to) when from == to => true,
        (Kind.Null, _) or (Kind.Int64, Kind.Float64) => true,
        (Kind.Text, Kind.Timestamp) => node is TextConstant,
        _ => false,
    };

    /// <summary>Converts an operand to the family <see cref="Unify"/> chose: widens Int64, types a null, reads a date literal.</summary>
    private BoundNode Coerce(BoundNode node, Kind kind, ExpressionNode syntax) => (node, KindOf(node), kind) switch
    {
        var (_, from, to) when from == to => node,
        (UntypedNull, _, _) => NullOf(kind),
        (PrimitiveNode<long> value, Kind.Int64, Kind.Float64) => Fold(new ToFloat64Node(value), value),
        (TextConstant text, _, Kind.Timestamp) => ToTimestamp(text, syntax),
        _ => throw Error(syntax, $"A {TypeName(node)} cannot be used as {kind.ToString().ToLowerInvariant()}"),
    };

    private BoundNode ToTimestamp(TextConstant text, ExpressionNode syntax)
    {
        if (text.Value is null)
        {
            return NullOf(Kind.Timestamp);
        }

        return IsoTimestamp.TryParse(text.Value, out var microseconds)
            ? new PrimitiveConstant<long>(ColumnType.Timestamp, microseconds)
            : throw Error(syntax, $"'{text.Value}' is not an ISO-8601 date/time", " (a timestamp compares with literals such as '2024-05-01', '2024-05-01T13:45:00' or '2024-05-01T13:45:00+02:00'; times without an offset are UTC).");
    }

    private static BoundNode NullOf(Kind kind) => kind switch
    {
        Kind.Int64 => new PrimitiveConstant<long>(ColumnType.Int64, 0, isNull: true),
        Kind.Float64 => new PrimitiveConstant<double>(ColumnType.Float64, 0, isNull: true),
        Kind.Boolean => new PrimitiveConstant<bool>(ColumnType.Boolean, false, isNull: true),
        Kind.Timestamp => new PrimitiveConstant<long>(ColumnType.Timestamp, 0, isNull: true),
        Kind.Text => new TextConstant(ColumnType.String, null),
        _ => UntypedNull.Instance,
    };

    private static bool IsNullConstant(BoundNode node) => node switch
    {
        UntypedNull => true,
        PrimitiveConstant<long> c => c.IsNull,
        PrimitiveConstant<double> c => c.IsNull,
        PrimitiveConstant<bool> c => c.IsNull,
        TextConstant c => c.Value is null,
        _ => false,
    };

    private ExpressionException Mismatch(Site site, BoundNode left, BoundNode right)
    {
        var kinds = (KindOf(left), KindOf(right));
        var detail = kinds is (Kind.Timestamp, Kind.Text) or (Kind.Text, Kind.Timestamp)
            ? " (a timestamp compares with another timestamp or a date literal such as '2024-05-01')."
            : kinds is (Kind.Timestamp, _) or (_, Kind.Timestamp)
            ? " (timestamps support comparisons, IN, BETWEEN and coalesce)."
            : ".";
        return Error(site.Position, site.Length, $"'{site.Operator}' cannot be applied to {TypeName(left)} and {TypeName(right)}", detail);
    }

    /// <summary>Where a type error points: the operator as written, or the operand that does not fit.</summary>
    private readonly record struct Site(string Operator, int Position, int Length);
}
