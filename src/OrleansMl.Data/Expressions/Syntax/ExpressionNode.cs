namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// A node of a parsed expression. <see cref="Position"/> (0-based character offset) and
/// <see cref="Length"/> locate it in the source text, so errors can point at it.
/// </summary>
public abstract record ExpressionNode(int Position, int Length)
{
    /// <summary>The offset just past the node's last character.</summary>
    public int End => Position + Length;

    /// <summary>The expression in canonical, fully parenthesised form, e.g. <c>((a + (b * c)) &gt; 10)</c>.</summary>
    public sealed override string ToString() => ExpressionFormatter.Format(this);
}
