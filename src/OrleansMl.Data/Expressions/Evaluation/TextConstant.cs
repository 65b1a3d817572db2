using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A string (or a typed null) that every row shares.</summary>
internal sealed class TextConstant(ColumnType type, string? value) : TextNode(type)
{
    public string? Value { get; } = value;

    public override bool IsConstant => true;

    public override TextValues Evaluate(EvaluationContext context) => TextValues.Constant(Value);

    public override BoundNode ToConstant() => this;
}
