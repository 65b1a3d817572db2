using System.Globalization;
using OrleansMl.Data.Sql;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>The SQL statement level: <c>SELECT [DISTINCT] ... FROM t [WHERE] [GROUP BY] [HAVING] [ORDER BY] [LIMIT] [OFFSET]</c>.</summary>
internal sealed partial class Parser
{
    /// <summary>Words with a meaning at the statement level; as column names they need double quotes.</summary>
    public static readonly IReadOnlySet<string> SqlKeywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "select", "distinct", "from", "where", "group", "by", "having", "order", "limit", "offset", "as", "asc", "desc", "nulls",
        "join", "inner", "left", "right", "full", "outer", "cross", "on", "union", "with", "all", "explain",
    };

    public SelectStatement ParseSelectStatement()
    {
        _reserved = SqlKeywords;
        var explain = AcceptWord("explain");
        ExpectWord("select", explain ? "SELECT after EXPLAIN" : "SELECT (or EXPLAIN SELECT)");
        var distinct = AcceptWord("distinct");
        var items = new List<SelectItem>();
        do
        {
            items.Add(ParseSelectItem());
        }
        while (Accept(TokenKind.Comma));

        ExpectWord("from", "',' or FROM");
        var from = ParseTableReference();
        var where = AcceptWord("where") ? ParseExpression() : null;
        var groupBy = new List<ExpressionNode>();
        if (AcceptWord("group"))
        {
            ExpectWord("by", "BY after GROUP");
            do
            {
                groupBy.Add(ParseExpression());
            }
            while (Accept(TokenKind.Comma));
        }

        var having = AcceptWord("having") ? ParseExpression() : null;
        var orderBy = new List<OrderItem>();
        if (AcceptWord("order"))
        {
            ExpectWord("by", "BY after ORDER");
            do
            {
                orderBy.Add(ParseOrderItem());
            }
            while (Accept(TokenKind.Comma));
        }

        long? limit = null;
        long offset = 0;
        while (true)
        {
            if (limit is null && AcceptWord("limit"))
            {
                limit = ParseCount("LIMIT");
            }
            else if (offset == 0 && AcceptWord("offset"))
            {
                offset = ParseCount("OFFSET");
            }
            else
            {
                break;
            }
        }

        Accept(TokenKind.Semicolon);
        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected(Current, IsWord(Current, "join") || IsWord(Current, "union") || IsWord(Current, "with")
                ? "the end of the query (joins, UNION and WITH are not supported yet)"
                : "WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, OFFSET or the end of the query");
        }

        foreach (var node in items.Select(i => i.Expression).OfType<ExpressionNode>().Concat(groupBy).Concat(orderBy.Select(o => o.Expression))
                     .Append(where).Append(having).OfType<ExpressionNode>())
        {
            CheckDepth(node);
        }

        return new SelectStatement(distinct, items, from, where, groupBy, having, orderBy, limit, offset, explain);
    }

    private SelectItem ParseSelectItem()
    {
        var start = Current;
        if (Current.Kind == TokenKind.Star)
        {
            Advance();
            return new SelectItem(null, null, start.Position);
        }

        var expression = ParseExpression();
        string? alias = null;
        if (AcceptWord("as"))
        {
            alias = ParseName("a name after AS");
        }
        else if (Current.Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier && !IsReserved(Current))
        {
            alias = ParseName("a name");
        }

        return new SelectItem(expression, alias, start.Position);
    }

    private TableReference ParseTableReference()
    {
        var start = Current;
        if (Current.Kind == TokenKind.LeftParen)
        {
            throw Unexpected(Current, "a dataset name (subqueries in FROM are not supported yet)");
        }

        var name = ParseName("a dataset name after FROM");
        int? version = null;
        var end = tokens[_index - 1].End;
        if (Accept(TokenKind.At))
        {
            var number = Expect(TokenKind.Integer, "a version number after '@' (name@3)");
            version = int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ExpressionException(text, number.Position, number.Length, $"Version {number.Text} is not a version number", " (versions count from 1).");
            end = number.End;
        }

        string? alias = null;
        if (AcceptWord("as") || (Current.Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier && !IsReserved(Current)))
        {
            alias = ParseName("a name for the dataset");
        }

        return new TableReference(name, version, alias, start.Position, end - start.Position);
    }

    private OrderItem ParseOrderItem()
    {
        var expression = ParseExpression();
        var descending = AcceptWord("desc");
        if (!descending)
        {
            AcceptWord("asc");
        }

        var nullsFirst = false;
        if (AcceptWord("nulls"))
        {
            nullsFirst = AcceptWord("first");
            if (!nullsFirst)
            {
                ExpectWord("last", "FIRST or LAST after NULLS");
            }
        }

        return new OrderItem(expression, descending, nullsFirst);
    }

    private long ParseCount(string clause)
    {
        var token = Expect(TokenKind.Integer, $"a whole number after {clause}");
        return long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ExpressionException(text, token.Position, token.Length, $"{clause} {token.Text} is out of range");
    }

    private string ParseName(string expected)
    {
        var token = Current;
        return token.Kind switch
        {
            TokenKind.QuotedIdentifier => Advance().Value!,
            TokenKind.Identifier when !IsReserved(token) => Advance().Text,
            _ => throw Unexpected(token, expected),
        };
    }

    private bool IsReserved(Token token) => token.Kind == TokenKind.Identifier && SqlKeywords.Contains(token.Text);

    private static bool IsWord(Token token, string word) =>
        token.Kind == TokenKind.Identifier && token.Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    private bool AcceptWord(string word)
    {
        if (!IsWord(Current, word))
        {
            return false;
        }

        _index++;
        return true;
    }

    private void ExpectWord(string word, string expected)
    {
        if (!AcceptWord(word))
        {
            throw Unexpected(Current, expected);
        }
    }
}
