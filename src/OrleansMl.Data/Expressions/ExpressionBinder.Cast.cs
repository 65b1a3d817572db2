using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>
/// CAST and TRY_CAST, with the cast step's conversions (<see cref="Transforms.ColumnCast"/>), except
/// that a float becomes an integer rounded half away from zero, as in DuckDB and PostgreSQL.
/// </summary>
public sealed partial class ExpressionBinder
{
    private BoundNode BindCast(CastNode node)
    {
        var operand = BindNode(node.Operand);
        var from = KindOf(operand);
        var to = node.Type switch
        {
            ColumnType.Int64 => Kind.Int64,
            ColumnType.Float64 => Kind.Float64,
            ColumnType.Boolean => Kind.Boolean,
            ColumnType.Timestamp => Kind.Timestamp,
            _ => Kind.Text,
        };
        if (from == Kind.Null)
        {
            return NullOf(to);
        }

        if (from == to)
        {
            return operand;
        }

        if ((from, to) is (Kind.Timestamp, Kind.Float64 or Kind.Boolean) or (Kind.Int64 or Kind.Float64 or Kind.Boolean, Kind.Timestamp))
        {
            throw Error(node, $"CAST cannot turn {TypeName(operand)} into {node.TypeName}", " (a timestamp casts to and from text).");
        }

        if ((from, to) is (Kind.Float64, Kind.Int64))
        {
            operand = Fold(new MathNode(MathFunction.Round, (PrimitiveNode<double>)operand, 0), operand);
        }

        BoundNode cast = to switch
        {
            Kind.Int64 or Kind.Timestamp => new CastNode<long>(operand, node.Type, node.OrNull, node.TypeName),
            Kind.Float64 => new CastNode<double>(operand, node.Type, node.OrNull, node.TypeName),
            Kind.Boolean => new CastNode<bool>(operand, node.Type, node.OrNull, node.TypeName),
            _ => new TextCastNode(operand, node.OrNull),
        };
        return Fold(cast, operand);
    }
}
