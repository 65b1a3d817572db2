namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>A token: its kind, where it is, its source text and, for strings and quoted names, the unescaped value.</summary>
internal readonly record struct Token(TokenKind Kind, int Position, int Length, string Text, string? Value = null)
{
    public int End => Position + Length;

    /// <summary>How an error message names the token.</summary>
    public string Describe() => Kind == TokenKind.End ? "end of expression" : $"'{Text}'";
}
