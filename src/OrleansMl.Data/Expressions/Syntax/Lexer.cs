namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>Splits expression text into tokens; keywords are case-insensitive.</summary>
internal static class Lexer
{
    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["and"] = TokenKind.And,
        ["or"] = TokenKind.Or,
        ["not"] = TokenKind.Not,
        ["is"] = TokenKind.Is,
        ["null"] = TokenKind.Null,
        ["in"] = TokenKind.In,
        ["between"] = TokenKind.Between,
        ["like"] = TokenKind.Like,
        ["ilike"] = TokenKind.ILike,
        ["true"] = TokenKind.True,
        ["false"] = TokenKind.False,
    };

    public static bool IsKeyword(string name) => Keywords.ContainsKey(name);

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, i, 0, string.Empty));
                return tokens;
            }

            var token = Next(text, i);
            tokens.Add(token);
            i = token.End;
        }
    }

    private static Token Next(string text, int start)
    {
        var c = text[start];
        if (char.IsAsciiDigit(c) || (c == '.' && start + 1 < text.Length && char.IsAsciiDigit(text[start + 1])))
        {
            return Number(text, start);
        }

        if (IsIdentifierStart(c))
        {
            var end = start + 1;
            while (end < text.Length && IsIdentifierPart(text[end]))
            {
                end++;
            }

            var word = text[start..end];
            return new Token(Keywords.TryGetValue(word, out var keyword) ? keyword : TokenKind.Identifier, start, end - start, word);
        }

        var next = start + 1 < text.Length ? text[start + 1] : '\0';
        return c switch
        {
            '\'' => Quoted(text, start, TokenKind.String),
            '"' or '`' => Quoted(text, start, TokenKind.QuotedIdentifier),
            '+' => Symbol(TokenKind.Plus, 1),
            '-' => Symbol(TokenKind.Minus, 1),
            '*' => Symbol(TokenKind.Star, 1),
            '/' => Symbol(TokenKind.Slash, 1),
            '%' => Symbol(TokenKind.Percent, 1),
            '(' => Symbol(TokenKind.LeftParen, 1),
            ')' => Symbol(TokenKind.RightParen, 1),
            ',' => Symbol(TokenKind.Comma, 1),
            '@' => Symbol(TokenKind.At, 1),
            ';' => Symbol(TokenKind.Semicolon, 1),
            '.' => Symbol(TokenKind.Dot, 1),
            '=' => Symbol(TokenKind.Equal, next == '=' ? 2 : 1),
            '!' => next == '=' ? Symbol(TokenKind.NotEqual, 2) : Symbol(TokenKind.Not, 1),
            '<' => next switch
            {
                '=' => Symbol(TokenKind.LessOrEqual, 2),
                '>' => Symbol(TokenKind.NotEqual, 2),
                _ => Symbol(TokenKind.Less, 1),
            },
            '>' => next == '=' ? Symbol(TokenKind.GreaterOrEqual, 2) : Symbol(TokenKind.Greater, 1),
            '&' when next == '&' => Symbol(TokenKind.And, 2),
            '|' when next == '|' => Symbol(TokenKind.Or, 2),
            _ => throw UnexpectedCharacter(text, start),
        };

        Token Symbol(TokenKind kind, int length) => new(kind, start, length, text.Substring(start, length));
    }

    private static Token Number(string text, int start)
    {
        var i = start;
        var isFloat = false;
        SkipDigits();
        if (i < text.Length && text[i] == '.')
        {
            isFloat = true;
            i++;
            SkipDigits();
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            isFloat = true;
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var digits = i;
            SkipDigits();
            if (i == digits)
            {
                throw Invalid();
            }
        }

        if (i < text.Length && (IsIdentifierPart(text[i]) || text[i] == '.'))
        {
            throw Invalid();
        }

        return new Token(isFloat ? TokenKind.Float : TokenKind.Integer, start, i - start, text[start..i]);

        void SkipDigits()
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        ExpressionException Invalid()
        {
            var end = i;
            while (end < text.Length && (IsIdentifierPart(text[end]) || text[end] is '.' or '+' or '-'))
            {
                end++;
            }

            return new ExpressionException(text, start, end - start, $"Invalid number '{text[start..end]}'");
        }
    }

    /// <summary>A 'string' or a "quoted"/`quoted` name; the closing quote doubled stands for itself.</summary>
    private static Token Quoted(string text, int start, TokenKind kind)
    {
        var quote = text[start];
        var value = new System.Text.StringBuilder();
        var i = start + 1;
        while (true)
        {
            var close = text.IndexOf(quote, i);
            if (close < 0)
            {
                var what = kind == TokenKind.String ? "Unterminated string" : "Unterminated quoted name";
                throw new ExpressionException(text, start, text.Length - start, what, $" (the closing {quote} is missing).");
            }

            value.Append(text, i, close - i);
            if (close + 1 < text.Length && text[close + 1] == quote)
            {
                value.Append(quote);
                i = close + 2;
                continue;
            }

            var end = close + 1;
            if (kind == TokenKind.QuotedIdentifier && value.Length == 0)
            {
                throw new ExpressionException(text, start, end - start, "Empty column name");
            }

            return new Token(kind, start, end - start, text[start..end], value.ToString());
        }
    }

    private static ExpressionException UnexpectedCharacter(string text, int position)
    {
        var c = text[position];
        var detail = c switch
        {
            '&' => " (write AND or &&).",
            '|' => " (write OR or ||).",
            _ when char.IsLetter(c) => " (names with characters other than A-Z, 0-9 and _ go in double quotes: \"my col\").",
            _ => ".",
        };
        var length = char.IsHighSurrogate(c) && position + 1 < text.Length && char.IsLowSurrogate(text[position + 1]) ? 2 : 1;
        var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : text.Substring(position, length);
        return new ExpressionException(text, position, length, $"Unexpected character '{shown}'", detail);
    }
}
