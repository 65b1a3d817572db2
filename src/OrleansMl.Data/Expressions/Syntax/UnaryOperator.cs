namespace OrleansMl.Data.Expressions.Syntax;

public enum UnaryOperator
{
    /// <summary><c>-x</c>.</summary>
    Negate,

    /// <summary><c>NOT x</c>, <c>!x</c>.</summary>
    Not,
}
