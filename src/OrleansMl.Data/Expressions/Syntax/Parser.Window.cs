using OrleansMl.Data.Sql;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>Window calls in SQL: <c>f(args) OVER ([PARTITION BY ...] [ORDER BY ...] [ROWS | RANGE frame])</c>.</summary>
internal sealed partial class Parser
{
    /// <summary>A function call, followed in SQL by <c>OVER (...)</c> when it is a window call.</summary>
    private ExpressionNode ParseCallOrWindow(Token name)
    {
        var call = ParseCall(name);
        if (_reserved is null || !IsWord(Current, "over") || tokens[_index + 1].Kind != TokenKind.LeftParen)
        {
            return call;
        }

        Advance();
        var open = Advance();
        var partitionBy = new List<ExpressionNode>();
        if (AcceptWord("partition"))
        {
            ExpectWord("by", "BY after PARTITION");
            do
            {
                partitionBy.Add(ParseExpression());
            }
            while (Accept(TokenKind.Comma));
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

        var frame = IsWord(Current, "rows") || IsWord(Current, "range") ? ParseFrame() : null;
        var close = ExpectClose(open, "PARTITION BY, ORDER BY, ROWS, RANGE or ')'");
        return new WindowCallNode(call, partitionBy, orderBy, frame, name.Position, close.End - name.Position);
    }

    /// <summary><c>ROWS start</c>, <c>ROWS BETWEEN start AND end</c>, or <c>RANGE</c> from UNBOUNDED PRECEDING to CURRENT ROW or UNBOUNDED FOLLOWING.</summary>
    private WindowFrame ParseFrame()
    {
        var first = Advance();
        var rows = IsWord(first, "rows");
        long? start;
        long? end = 0;
        if (Accept(TokenKind.Between))
        {
            start = ParseFrameBound(isStart: true);
            Expect(TokenKind.And, "AND and the frame's end (ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)");
            end = ParseFrameBound(isStart: false);
        }
        else
        {
            start = ParseFrameBound(isStart: true);
        }

        var length = tokens[_index - 1].End - first.Position;
        if (!rows && (start is not null || end is not (null or 0)))
        {
            throw new ExpressionException(text, first.Position, length, "This RANGE frame is not supported", "; RANGE reads from UNBOUNDED PRECEDING to CURRENT ROW or UNBOUNDED FOLLOWING (use ROWS for a frame of rows around the current one).");
        }

        if (start is { } s && end is { } e && s > e)
        {
            throw new ExpressionException(text, first.Position, length, "The frame starts after it ends", "; write the earlier bound first (ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING).");
        }

        return new WindowFrame(rows, start, end);
    }

    /// <summary>UNBOUNDED PRECEDING/FOLLOWING (null), CURRENT ROW (0), <c>n PRECEDING</c> (-n) or <c>n FOLLOWING</c> (n).</summary>
    private long? ParseFrameBound(bool isStart)
    {
        var at = Current;
        if (AcceptWord("unbounded"))
        {
            var expected = isStart ? "preceding" : "following";
            ExpectWord(expected, isStart ? "PRECEDING after UNBOUNDED (a frame starts at UNBOUNDED PRECEDING)" : "FOLLOWING after UNBOUNDED (a frame ends at UNBOUNDED FOLLOWING)");
            return null;
        }

        if (AcceptWord("current"))
        {
            ExpectWord("row", "ROW after CURRENT");
            return 0;
        }

        if (at.Kind != TokenKind.Integer)
        {
            throw Unexpected(at, "UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING or UNBOUNDED FOLLOWING");
        }

        var count = ParseCount("ROWS");
        if (AcceptWord("preceding"))
        {
            return -count;
        }

        ExpectWord("following", "PRECEDING or FOLLOWING after the number of rows");
        return count;
    }
}
