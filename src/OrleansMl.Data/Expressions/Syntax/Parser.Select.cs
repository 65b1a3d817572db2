using System.Globalization;
using OrleansMl.Data.Sql;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>The SQL statement level: <c>[WITH] SELECT [DISTINCT] ... FROM t [JOIN ...] [WHERE] [GROUP BY] [HAVING] [UNION ALL ...] [ORDER BY] [LIMIT] [OFFSET]</c>.</summary>
internal sealed partial class Parser
{
    /// <summary>Words with a meaning at the statement level; as column names they need double quotes.</summary>
    public static readonly IReadOnlySet<string> SqlKeywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "select", "distinct", "from", "where", "group", "by", "having", "order", "limit", "offset", "as", "asc", "desc", "nulls",
        "join", "inner", "left", "right", "full", "outer", "cross", "on", "union", "with", "all", "explain", "qualify",
        "case", "when", "then", "else", "end",
    };

    public SelectStatement ParseSelectStatement()
    {
        _reserved = SqlKeywords;
        var explain = AcceptWord("explain");
        string? into = null;
        if (!explain && AcceptWord("create"))
        {
            ExpectWord("dataset", "DATASET after CREATE (CREATE DATASET name AS SELECT ...)");
            into = ParseName("a dataset name after CREATE DATASET");
            ExpectWord("as", $"AS after the dataset name (CREATE DATASET {into} AS SELECT ...)");
        }

        if (!IsWord(Current, "select") && !IsWord(Current, "with"))
        {
            throw Unexpected(Current, explain ? "SELECT after EXPLAIN" : into is not null ? "SELECT after AS" : "SELECT (or WITH, EXPLAIN SELECT, CREATE DATASET name AS SELECT)");
        }

        var statement = ParseQuery() with { Explain = explain, Into = into };
        Accept(TokenKind.Semicolon);
        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected(Current, "WHERE, GROUP BY, HAVING, QUALIFY, ORDER BY, LIMIT, OFFSET, UNION ALL or the end of the query");
        }

        return statement;
    }

    /// <summary>
    /// <c>[WITH ...] SELECT ... [UNION [ALL] SELECT ...] [ORDER BY] [LIMIT] [OFFSET]</c>; a union becomes
    /// <c>SELECT [DISTINCT] * FROM (the branches)</c> that the ordering applies to (DISTINCT for UNION, which removes repeated rows).
    /// </summary>
    private SelectStatement ParseQuery()
    {
        var start = Current.Position;
        var with = new List<CommonTable>();
        if (AcceptWord("with"))
        {
            do
            {
                var nameToken = Current;
                var name = ParseName("a name for the WITH query");
                ExpectWord("as", $"AS after '{name}' (WITH name AS (SELECT ...))");
                var open = Expect(TokenKind.LeftParen, "'(' before the WITH query");
                var query = ParseQuery();
                var close = ExpectClose(open, "')'");
                with.Add(new CommonTable(name, query, nameToken.Position, close.End - nameToken.Position));
            }
            while (Accept(TokenKind.Comma));
        }

        List<SelectStatement> branches = [ParseSelectCore()];
        bool? distinctUnion = null;
        while (IsWord(Current, "union"))
        {
            var union = Advance();
            var distinct = !AcceptWord("all");
            if (distinct)
            {
                AcceptWord("distinct");
            }

            if (distinctUnion is { } earlier && earlier != distinct)
            {
                throw new ExpressionException(text, union.Position, union.Length, "This query mixes UNION and UNION ALL", "; put one of them in a subquery: SELECT * FROM (a UNION ALL b) AS x UNION c.");
            }

            distinctUnion = distinct;
            branches.Add(ParseSelectCore());
        }

        if (branches.Count > 1)
        {
            branches = [.. branches.Select(b => WindowRewrite.Apply(text, b))];
        }

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

        foreach (var node in orderBy.Select(o => o.Expression))
        {
            CheckDepth(node);
        }

        var end = tokens[_index - 1].End;
        var statement = branches.Count == 1
            ? WindowRewrite.Apply(text, branches[0] with { OrderBy = orderBy, Limit = limit, Offset = offset, Position = start, Length = end - start })
            : new SelectStatement(distinctUnion == true, [new SelectItem(null, null, start)], new UnionRelation(branches, branches[0].Position, branches[^1].Position + branches[^1].Length - branches[0].Position), null, [], null, orderBy, limit, offset);
        return statement with { With = with, Position = start, Length = end - start };
    }

    /// <summary><c>SELECT [DISTINCT] ... FROM ... [WHERE] [GROUP BY] [HAVING] [QUALIFY]</c>.</summary>
    private SelectStatement ParseSelectCore()
    {
        var start = Current.Position;
        ExpectWord("select", "SELECT");
        var distinct = AcceptWord("distinct");
        var items = new List<SelectItem>();
        do
        {
            items.Add(ParseSelectItem());
        }
        while (Accept(TokenKind.Comma));

        ExpectWord("from", "',' or FROM");
        var from = ParseRelation();
        var joins = ParseJoins();
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
        var qualify = AcceptWord("qualify") ? ParseExpression() : null;
        foreach (var node in items.Select(i => i.Expression).Concat(joins.Select(j => j.On)).Concat(groupBy).Append(where).Append(having).Append(qualify).OfType<ExpressionNode>())
        {
            CheckDepth(node);
        }

        return new SelectStatement(distinct, items, from, where, groupBy, having, [], null, 0)
        {
            Joins = joins,
            Qualify = qualify,
            Position = start,
            Length = tokens[_index - 1].End - start,
        };
    }

    /// <summary>The relations after the first in FROM: <c>, t</c>, <c>CROSS JOIN t</c>, <c>[INNER | LEFT | RIGHT | FULL [OUTER]] JOIN t ON condition</c>.</summary>
    private List<JoinClause> ParseJoins()
    {
        var joins = new List<JoinClause>();
        while (true)
        {
            var at = Current;
            if (Accept(TokenKind.Comma))
            {
                joins.Add(new JoinClause(ParseRelation(), JoinKind.Cross, null, at.Position));
                continue;
            }

            JoinKind? kind = AcceptWord("cross") ? JoinKind.Cross
                : AcceptWord("inner") ? JoinKind.Inner
                : AcceptWord("left") ? JoinKind.Left
                : AcceptWord("right") ? JoinKind.Right
                : AcceptWord("full") ? JoinKind.Full
                : IsWord(Current, "join") ? JoinKind.Inner
                : null;
            if (kind is null)
            {
                return joins;
            }

            if (kind is JoinKind.Left or JoinKind.Right or JoinKind.Full)
            {
                AcceptWord("outer");
            }

            ExpectWord("join", "JOIN");
            var relation = ParseRelation();
            ExpressionNode? on = null;
            if (kind != JoinKind.Cross)
            {
                ExpectWord("on", "ON and the join condition (e.g. ON a.id = b.id)");
                on = ParseExpression();
            }

            joins.Add(new JoinClause(relation, kind.Value, on, at.Position));
        }
    }

    private SelectItem ParseSelectItem()
    {
        var start = Current;
        if (Current.Kind == TokenKind.Star)
        {
            Advance();
            return new SelectItem(null, null, start.Position);
        }

        if (start.Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier && tokens[_index + 1].Kind == TokenKind.Dot && tokens[_index + 2].Kind == TokenKind.Star)
        {
            _index += 3;
            return new SelectItem(null, null, start.Position, start.Value ?? start.Text);
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

    private SqlRelation ParseRelation()
    {
        var start = Current;
        if (Current.Kind == TokenKind.LeftParen)
        {
            var open = Advance();
            if (!IsWord(Current, "select") && !IsWord(Current, "with"))
            {
                throw Unexpected(Current, "SELECT (a subquery) after '('");
            }

            var query = ParseQuery();
            var close = ExpectClose(open, "')'");
            return new SubqueryRelation(query, ParseAlias(), start.Position, close.End - start.Position);
        }

        if (Current.Kind == TokenKind.Identifier && tokens[_index + 1].Kind == TokenKind.LeftParen)
        {
            return ParseFileRelation();
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

        return new TableReference(name, version, ParseAlias(), start.Position, end - start.Position);
    }

    /// <summary><c>read_parquet('path' [, name = value, ...]) [alias]</c>: a file read in place.</summary>
    private FileRelation ParseFileRelation()
    {
        var function = Advance();
        if (!FileRelation.Formats.ContainsKey(function.Text))
        {
            throw new ExpressionException(text, function.Position, function.Length, $"'{function.Text}' is not a table function", $" (table functions: {string.Join(", ", FileRelation.Formats.Keys)}).");
        }

        var open = Advance();
        var path = Expect(TokenKind.String, $"the file's path in single quotes ({function.Text.ToLowerInvariant()}('/data/file'))");
        var options = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (Accept(TokenKind.Comma))
        {
            var option = Current;
            var name = ParseName("an option name (header = true)");
            if (!FileRelation.OptionNames.ContainsKey(name))
            {
                throw new ExpressionException(text, option.Position, option.Length, $"'{name}' is not an option of {function.Text.ToLowerInvariant()}", $" (options: {string.Join("; ", FileRelation.OptionNames.Select(o => $"{o.Key}: {o.Value}"))}).");
            }

            Expect(TokenKind.Equal, $"'=' after {name}");
            options[name] = ParseUnary() is LiteralNode literal ? literal.Value : throw Unexpected(tokens[_index - 1], "a value written in the query ('x', 1, true)");
        }

        var close = ExpectClose(open, "',' and an option, or ')'");
        return new FileRelation(function.Text.ToLowerInvariant(), path.Value!, options, ParseAlias(), function.Position, close.End - function.Position);
    }

    private string? ParseAlias() =>
        AcceptWord("as") || (Current.Kind is TokenKind.Identifier or TokenKind.QuotedIdentifier && !IsReserved(Current))
            ? ParseName("a name for the table")
            : null;

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
