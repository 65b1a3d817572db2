namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>Parses the expression language of dataset filters and derived columns (see docs/expressions.md).</summary>
public static class ExpressionParser
{
    /// <summary>The deepest nesting an expression may have, which keeps the recursive parts of the engine far from stack overflow.</summary>
    public const int MaxDepth = 200;

    /// <summary>Parses <paramref name="text"/> into a syntax tree.</summary>
    /// <exception cref="ExpressionException">The text is not a valid expression; the message points at where.</exception>
    public static ExpressionNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text, Lexer.Tokenize(text)).ParseAll();
    }

    /// <summary>Parses a SQL <c>SELECT</c> statement (see docs/sql.md); its expressions are this language's.</summary>
    /// <exception cref="ExpressionException">The text is not a valid statement; the message points at where.</exception>
    public static Sql.SelectStatement ParseSelect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text, Lexer.Tokenize(text)).ParseSelectStatement();
    }
}
