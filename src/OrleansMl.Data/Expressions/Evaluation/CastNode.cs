using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>CAST to a number, boolean or timestamp: the operand's column converted by <see cref="ColumnCast"/>, the same rules as the cast step.</summary>
internal sealed class CastNode<T>(BoundNode operand, ColumnType type, bool orNull, string typeName) : PrimitiveNode<T>(type)
    where T : unmanaged
{
    public override Values<T> Evaluate(EvaluationContext context)
    {
        var cast = (PrimitiveColumn<T>)Casts.Convert(operand, context, Type, orNull, typeName);
        bool[]? nulls = null;
        if (cast.Nulls is { } mask)
        {
            nulls = new bool[cast.Length];
            for (var i = 0; i < nulls.Length; i++)
            {
                nulls[i] = mask[i];
            }
        }

        var values = cast.UnsafeArray.Length == cast.Length ? cast.UnsafeArray : cast.Values.ToArray(); // a fresh array: the result may write into it
        return Values<T>.Own(values, nulls);
    }
}

/// <summary>CAST to text.</summary>
internal sealed class TextCastNode(BoundNode operand, bool orNull) : TextNode(ColumnType.String)
{
    public override TextValues Evaluate(EvaluationContext context) =>
        TextValues.Borrow((StringColumn)Casts.Convert(operand, context, ColumnType.String, orNull, "varchar"));
}

internal static class Casts
{
    public static Column Convert(BoundNode operand, EvaluationContext context, ColumnType type, bool orNull, string typeName)
    {
        var column = operand.EvaluateColumn(context, new ColumnSchema("value", operand.Type));
        try
        {
            return ColumnCast.Cast(column, type, orNull);
        }
        catch (SchemaException)
        {
            var row = Enumerable.Range(0, column.Length).First(r => !column.IsNull(r) && ColumnCast.Cast(column.Slice(r, 1), type, failuresToNull: true).IsNull(0));
            throw new SchemaException($"CAST cannot turn '{column.GetValue(row)}' into {typeName}; TRY_CAST gives null for values that do not convert.");
        }
    }
}
