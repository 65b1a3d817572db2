using OrleansMl.Data.Expressions.Evaluation;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>CASE: conditions that must be true/false, values of one family (as coalesce's), a chain of per-row choices.</summary>
public sealed partial class ExpressionBinder
{
    private BoundNode BindCase(CaseNode node)
    {
        var conditions = new List<BoundNode>();
        foreach (var branch in node.Branches)
        {
            var syntax = node.Operand is { } operand ? new BinaryNode(BinaryOperator.Equal, operand, branch.When, branch.When.Position, branch.When.Length) : branch.When;
            var condition = BindNode(syntax);
            if (KindOf(condition) is not (Kind.Boolean or Kind.Null))
            {
                throw Error(branch.When, $"A WHEN condition must be true or false, but this is {TypeName(condition)}", node.Operand is null ? " (compare it, e.g. x > 0, or write CASE x WHEN value THEN ...)." : ".");
            }

            conditions.Add(IsNullConstant(condition) ? NullOf(Kind.Boolean) : condition);
        }

        var syntaxes = node.Branches.Select(b => b.Then).Concat(node.Else is { } e ? [e] : []).ToList();
        var values = syntaxes.Select(BindNode).ToList();
        var kind = Kind.Null;
        BoundNode? typed = null;
        for (var i = 0; i < values.Count; i++)
        {
            if (KindOf(values[i]) == Kind.Null)
            {
                continue;
            }

            var common = typed is null ? KindOf(values[i]) : Unify(typed, values[i]) ?? throw Error(syntaxes[i], $"CASE cannot mix {TypeName(typed)} and {TypeName(values[i])} values");
            (typed, kind) = (typed is null || KindOf(values[i]) == common ? values[i] : typed, common);
        }

        if (kind == Kind.Null)
        {
            return UntypedNull.Instance;
        }

        values = [.. values.Select((v, i) => CanCoerce(v, kind) ? Coerce(v, kind, syntaxes[i]) : throw Error(syntaxes[i], $"CASE cannot mix {kind.ToString().ToLowerInvariant()} and {TypeName(v)} values"))];
        var type = kind == Kind.Text && values.All(v => v.Type == ColumnType.Categorical || IsNullConstant(v)) ? ColumnType.Categorical : values.First(v => !IsNullConstant(v)).Type;
        var result = node.Else is null ? NullOf(kind) : values[^1];
        for (var i = node.Branches.Count - 1; i >= 0; i--)
        {
            var condition = (PrimitiveNode<bool>)conditions[i];
            var then = values[i];
            result = kind switch
            {
                Kind.Int64 or Kind.Timestamp => Fold(new IfNode<long>(condition, (PrimitiveNode<long>)then, (PrimitiveNode<long>)result, type), condition, then, result),
                Kind.Float64 => Fold(new IfNode<double>(condition, (PrimitiveNode<double>)then, (PrimitiveNode<double>)result, type), condition, then, result),
                Kind.Boolean => Fold(new IfNode<bool>(condition, (PrimitiveNode<bool>)then, (PrimitiveNode<bool>)result, type), condition, then, result),
                _ => Fold(new TextIfNode(condition, (TextNode)then, (TextNode)result, type), condition, then, result),
            };
        }

        return result;
    }
}
