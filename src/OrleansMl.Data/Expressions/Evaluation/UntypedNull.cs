using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// The literal <c>null</c> before it meets a typed operand: the binder turns it into a null of the
/// operand's type. Left on its own it is a boolean null (SQL's unknown).
/// </summary>
internal sealed class UntypedNull : PrimitiveNode<bool>
{
    private UntypedNull()
        : base(ColumnType.Boolean)
    {
    }

    public static UntypedNull Instance { get; } = new();

    public override bool IsConstant => true;

    public override Values<bool> Evaluate(EvaluationContext context) => Values<bool>.Null;

    public override BoundNode ToConstant() => this;
}
