using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions;

/// <summary>Parses and binds in one step: the usual way in for dataset <c>filter</c> and <c>derive</c>.</summary>
public static class Expression
{
    /// <summary>Parses <paramref name="text"/> and binds it to <paramref name="schema"/>, for a derived column.</summary>
    /// <exception cref="ExpressionException">The text does not parse or does not type-check; the message points at where.</exception>
    public static BoundExpression Compile(string text, DatasetSchema schema) =>
        ExpressionBinder.Bind(ExpressionParser.Parse(text), schema, text);

    /// <summary>As <see cref="Compile"/>, and checks that the expression is a true/false condition, for a filter.</summary>
    /// <exception cref="ExpressionException">As <see cref="Compile"/>, or the expression is not a condition.</exception>
    public static BoundExpression CompilePredicate(string text, DatasetSchema schema) =>
        ExpressionBinder.BindPredicate(ExpressionParser.Parse(text), schema, text);
}
