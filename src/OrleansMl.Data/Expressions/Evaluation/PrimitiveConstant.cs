using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A number, boolean or timestamp (or a typed null) that every row shares.</summary>
internal sealed class PrimitiveConstant<T>(ColumnType type, T value, bool isNull = false) : PrimitiveNode<T>(type)
    where T : unmanaged
{
    public T Value { get; } = value;

    public bool IsNull { get; } = isNull;

    public override bool IsConstant => true;

    public override Values<T> Evaluate(EvaluationContext context) => IsNull ? Values<T>.Null : Values<T>.Constant(Value);

    public override BoundNode ToConstant() => this;
}
