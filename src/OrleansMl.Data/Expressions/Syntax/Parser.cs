using System.Globalization;

namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// Recursive descent over the tokens, one method per precedence level, loosest first:
/// OR, AND, NOT, comparison / IS / IN / BETWEEN, + -, * / %, unary minus, primary.
/// </summary>
internal sealed partial class Parser(string text, List<Token> tokens)
{
    private int _index;
    private int _depth;

    /// <summary>Words that end an expression inside a SQL statement (FROM, WHERE, ...), so they are never read as column names; null outside SQL.</summary>
    private IReadOnlySet<string>? _reserved;

    private Token Current => tokens[_index];

    public ExpressionNode ParseAll()
    {
        if (Current.Kind == TokenKind.End)
        {
            throw new ExpressionException(text, 0, Math.Max(1, text.Length), "The expression is empty", "; write a condition such as price > 10, or a formula such as price * qty.");
        }

        var node = ParseExpression();
        if (Current.Kind != TokenKind.End)
        {
            throw Unexpected(Current, "an operator or the end of the expression");
        }

        CheckDepth(node);
        return node;
    }

    private ExpressionNode ParseExpression()
    {
        Enter(Current);
        var node = ParseOr();
        _depth--;
        return node;
    }

    private ExpressionNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.Kind == TokenKind.Or)
        {
            var op = Advance();
            left = new BinaryNode(BinaryOperator.Or, left, ParseAnd(), op.Position, op.Length);
        }

        return left;
    }

    private ExpressionNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.Kind == TokenKind.And)
        {
            var op = Advance();
            left = new BinaryNode(BinaryOperator.And, left, ParseNot(), op.Position, op.Length);
        }

        return left;
    }

    private ExpressionNode ParseNot()
    {
        if (Current.Kind != TokenKind.Not)
        {
            return ParsePredicate();
        }

        var op = Advance();
        Enter(op);
        var operand = ParseNot();
        _depth--;
        return new UnaryNode(UnaryOperator.Not, operand, op.Position, operand.End - op.Position);
    }

    private ExpressionNode ParsePredicate()
    {
        var left = ParseAdditive();
        while (true)
        {
            if (ComparisonOf(Current.Kind) is { } comparison)
            {
                var op = Advance();
                left = new BinaryNode(comparison, left, ParseAdditive(), op.Position, op.Length);
                continue;
            }

            switch (Current.Kind)
            {
                case TokenKind.Is:
                    Advance();
                    var negated = Accept(TokenKind.Not);
                    var nullToken = Expect(TokenKind.Null, negated ? "NULL after IS NOT" : "NULL or NOT NULL after IS");
                    left = new IsNullNode(left, negated, left.Position, nullToken.End - left.Position);
                    break;
                case TokenKind.In:
                    left = ParseIn(left, negated: false);
                    break;
                case TokenKind.Between:
                    left = ParseBetween(left, negated: false);
                    break;
                case TokenKind.Like or TokenKind.ILike:
                    left = ParseLike(left, negated: false);
                    break;
                case TokenKind.Not:
                    var not = Advance();
                    left = Current.Kind switch
                    {
                        TokenKind.In => ParseIn(left, negated: true),
                        TokenKind.Between => ParseBetween(left, negated: true),
                        TokenKind.Like or TokenKind.ILike => ParseLike(left, negated: true),
                        _ => throw Unexpected(Current, $"IN, BETWEEN, LIKE or ILIKE after '{not.Text}'"),
                    };
                    break;
                default:
                    return left;
            }
        }
    }

    private InNode ParseIn(ExpressionNode operand, bool negated)
    {
        var inToken = Advance();
        var open = Expect(TokenKind.LeftParen, $"'(' after '{inToken.Text}'");
        var items = new List<LiteralNode>();
        while (true)
        {
            items.Add(ParseInItem());
            if (Accept(TokenKind.Comma))
            {
                continue;
            }

            var close = ExpectClose(open, "',' or ')'");
            return new InNode(operand, items, negated, operand.Position, close.End - operand.Position);
        }
    }

    private LiteralNode ParseInItem()
    {
        var token = Current;
        var negative = token.Kind == TokenKind.Minus && tokens[_index + 1].Kind is TokenKind.Integer or TokenKind.Float;
        if (negative || token.Kind is TokenKind.Integer or TokenKind.Float or TokenKind.String or TokenKind.True or TokenKind.False or TokenKind.Null)
        {
            return (LiteralNode)(negative ? ParseUnary() : ParsePrimary());
        }

        throw Unexpected(token, "a literal (IN lists hold numbers, 'strings', true, false or null)");
    }

    private BetweenNode ParseBetween(ExpressionNode operand, bool negated)
    {
        var between = Advance();
        var lower = ParseAdditive();
        Expect(TokenKind.And, $"AND between the bounds of '{between.Text}'");
        var upper = ParseAdditive();
        return new BetweenNode(operand, lower, upper, negated, operand.Position, upper.End - operand.Position);
    }

    private LikeNode ParseLike(ExpressionNode operand, bool negated)
    {
        var like = Advance();
        var pattern = Expect(TokenKind.String, $"a 'pattern' after '{like.Text}' (% for any run of characters, _ for one)");
        return new LikeNode(operand, pattern.Value!, like.Kind == TokenKind.ILike, negated, operand.Position, pattern.End - operand.Position);
    }

    private ExpressionNode ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            var op = Advance();
            var kind = op.Kind == TokenKind.Plus ? BinaryOperator.Add : BinaryOperator.Subtract;
            left = new BinaryNode(kind, left, ParseMultiplicative(), op.Position, op.Length);
        }

        return left;
    }

    private ExpressionNode ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Current.Kind is TokenKind.Star or TokenKind.Slash or TokenKind.Percent)
        {
            var op = Advance();
            var kind = op.Kind switch
            {
                TokenKind.Star => BinaryOperator.Multiply,
                TokenKind.Slash => BinaryOperator.Divide,
                _ => BinaryOperator.Modulo,
            };
            left = new BinaryNode(kind, left, ParseUnary(), op.Position, op.Length);
        }

        return left;
    }

    private ExpressionNode ParseUnary()
    {
        if (Current.Kind != TokenKind.Minus)
        {
            return ParsePrimary();
        }

        var minus = Advance();
        var next = Current;
        if (next.Kind is TokenKind.Integer or TokenKind.Float)
        {
            // A negative number is one literal, so -9223372036854775808 fits and IN lists can hold it.
            Advance();
            var value = next.Kind == TokenKind.Integer ? (object)ParseInteger(next, negative: true) : -ParseFloat(next);
            return new LiteralNode(value, minus.Position, next.End - minus.Position);
        }

        Enter(minus);
        var operand = ParseUnary();
        _depth--;
        return new UnaryNode(UnaryOperator.Negate, operand, minus.Position, operand.End - minus.Position);
    }

    private ExpressionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer:
                Advance();
                return new LiteralNode(ParseInteger(token, negative: false), token.Position, token.Length);
            case TokenKind.Float:
                Advance();
                return new LiteralNode(ParseFloat(token), token.Position, token.Length);
            case TokenKind.String:
                Advance();
                return new LiteralNode(token.Value, token.Position, token.Length);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new LiteralNode(token.Kind == TokenKind.True, token.Position, token.Length);
            case TokenKind.Null:
                Advance();
                return new LiteralNode(null, token.Position, token.Length);
            case TokenKind.QuotedIdentifier:
                Advance();
                return Qualified(token, token.Value!);
            case TokenKind.Identifier when (IsWord(token, "cast") || IsWord(token, "try_cast")) && tokens[_index + 1].Kind == TokenKind.LeftParen:
                return ParseCast();
            case TokenKind.Identifier when IsWord(token, "case") && tokens[_index + 1].Kind is not (TokenKind.LeftParen or TokenKind.Dot):
                return ParseCase();
            case TokenKind.Identifier when (IsWord(token, "left") || IsWord(token, "right")) && tokens[_index + 1].Kind == TokenKind.LeftParen:
                Advance();
                return ParseCallOrWindow(token); // left(text, n) and right(text, n), though LEFT and RIGHT are join words
            case TokenKind.Identifier when _reserved?.Contains(token.Text) == true:
                throw Unexpected(token, $"a value (a number, a 'string', a column or a function call; a column named {token.Text.ToLowerInvariant()} goes in double quotes)");
            case TokenKind.Identifier:
                Advance();
                return Current.Kind == TokenKind.LeftParen
                    ? ParseCallOrWindow(token)
                    : Qualified(token, token.Text);
            case TokenKind.LeftParen:
                var open = Advance();
                var inner = ParseExpression();
                ExpectClose(open, "')'");
                return inner;
            case TokenKind.End:
                var after = _index > 0 ? $" after '{tokens[_index - 1].Text}'" : string.Empty;
                throw new ExpressionException(text, token.Position, 1, "Unexpected end of expression", $"; expected a value{after}.");
            default:
                throw Unexpected(token, "a value (a number, a 'string', a column or a function call)");
        }
    }

    /// <summary>SQL type names and the column type each casts to.</summary>
    private static readonly Dictionary<string, Schema.ColumnType> CastTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bigint"] = Schema.ColumnType.Int64, ["int"] = Schema.ColumnType.Int64, ["integer"] = Schema.ColumnType.Int64, ["int64"] = Schema.ColumnType.Int64,
        ["smallint"] = Schema.ColumnType.Int64, ["tinyint"] = Schema.ColumnType.Int64, ["long"] = Schema.ColumnType.Int64,
        ["double"] = Schema.ColumnType.Float64, ["float"] = Schema.ColumnType.Float64, ["real"] = Schema.ColumnType.Float64, ["float64"] = Schema.ColumnType.Float64,
        ["decimal"] = Schema.ColumnType.Float64, ["numeric"] = Schema.ColumnType.Float64,
        ["varchar"] = Schema.ColumnType.String, ["text"] = Schema.ColumnType.String, ["string"] = Schema.ColumnType.String,
        ["boolean"] = Schema.ColumnType.Boolean, ["bool"] = Schema.ColumnType.Boolean,
        ["timestamp"] = Schema.ColumnType.Timestamp, ["datetime"] = Schema.ColumnType.Timestamp,
    };

    /// <summary><c>CAST(x AS type)</c> or <c>TRY_CAST(x AS type)</c>; a type's size or precision (<c>VARCHAR(20)</c>, <c>DECIMAL(10, 2)</c>) is read and ignored.</summary>
    private CastNode ParseCast()
    {
        var start = Advance();
        var open = Advance();
        var operand = ParseExpression();
        ExpectWord("as", "AS and a type (CAST(x AS DOUBLE))");
        var typeToken = Current;
        if (typeToken.Kind != TokenKind.Identifier || !CastTypes.TryGetValue(typeToken.Text, out var type))
        {
            throw new ExpressionException(text, typeToken.Position, Math.Max(1, typeToken.Length), $"'{typeToken.Text}' is not a type a value can be cast to", $" (types: {string.Join(", ", CastTypes.Keys)}).");
        }

        Advance();
        if (Current.Kind == TokenKind.LeftParen)
        {
            var sizeOpen = Advance();
            while (Current.Kind is TokenKind.Integer or TokenKind.Comma)
            {
                Advance();
            }

            ExpectClose(sizeOpen, "')' after the type's size");
        }

        var close = ExpectClose(open, "')'");
        return new CastNode(operand, type, typeToken.Text.ToLowerInvariant(), IsWord(start, "try_cast"), start.Position, close.End - start.Position);
    }

    /// <summary><c>CASE [operand] WHEN ... THEN ... [ELSE ...] END</c>.</summary>
    private CaseNode ParseCase()
    {
        var start = Advance();
        var operand = IsWord(Current, "when") ? null : ParseExpression();
        var branches = new List<CaseBranch>();
        while (AcceptWord("when"))
        {
            var when = ParseExpression();
            ExpectWord("then", "THEN after the WHEN condition");
            branches.Add(new CaseBranch(when, ParseExpression()));
        }

        if (branches.Count == 0)
        {
            throw Unexpected(Current, operand is null ? "WHEN after CASE" : "WHEN after CASE and its value");
        }

        var otherwise = AcceptWord("else") ? ParseExpression() : null;
        var end = Current;
        ExpectWord("end", "WHEN, ELSE or END");
        return new CaseNode(operand, branches, otherwise, start.Position, end.End - start.Position);
    }

    /// <summary>A column name, or in SQL a table name followed by <c>.column</c>.</summary>
    private ColumnReferenceNode Qualified(Token first, string name)
    {
        if (_reserved is null || Current.Kind != TokenKind.Dot)
        {
            return new ColumnReferenceNode(name, first.Position, first.Length);
        }

        Advance();
        var column = Current;
        var columnName = column.Kind switch
        {
            TokenKind.QuotedIdentifier => column.Value!,
            TokenKind.Identifier => column.Text,
            _ => throw Unexpected(column, $"a column name after '{name}.'"),
        };
        Advance();
        return new ColumnReferenceNode(columnName, first.Position, column.End - first.Position, name);
    }

    private FunctionCallNode ParseCall(Token name)
    {
        var open = Advance();
        var arguments = new List<ExpressionNode>();
        if (Current.Kind == TokenKind.Star && tokens[_index + 1].Kind == TokenKind.RightParen)
        {
            Advance();
            var end = Advance();
            return new FunctionCallNode(name.Text, arguments, name.Position, end.End - name.Position, Star: true);
        }

        var distinct = IsWord(Current, "distinct") && tokens[_index + 1].Kind != TokenKind.RightParen;
        if (distinct)
        {
            Advance();
        }

        if (Current.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                arguments.Add(ParseExpression());
                if (!Accept(TokenKind.Comma))
                {
                    break;
                }
            }
        }

        var close = ExpectClose(open, "',' or ')'");
        return new FunctionCallNode(name.Text, arguments, name.Position, close.End - name.Position, Distinct: distinct);
    }

    private long ParseInteger(Token token, bool negative)
    {
        var digits = negative ? "-" + token.Text : token.Text;
        return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ExpressionException(text, token.Position, token.Length, $"Integer {digits} is out of range", " (int64 holds ±9223372036854775807; write 1e19 for a float64).");
    }

    private double ParseFloat(Token token)
    {
        var value = double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(value)
            ? value
            : throw new ExpressionException(text, token.Position, token.Length, $"Number {token.Text} is out of range", " (float64 holds about ±1.8e308).");
    }

    private static BinaryOperator? ComparisonOf(TokenKind kind) => kind switch
    {
        TokenKind.Equal => BinaryOperator.Equal,
        TokenKind.NotEqual => BinaryOperator.NotEqual,
        TokenKind.Less => BinaryOperator.LessThan,
        TokenKind.LessOrEqual => BinaryOperator.LessThanOrEqual,
        TokenKind.Greater => BinaryOperator.GreaterThan,
        TokenKind.GreaterOrEqual => BinaryOperator.GreaterThanOrEqual,
        _ => null,
    };

    private Token Advance() => tokens[_index++];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _index++;
        return true;
    }

    private Token Expect(TokenKind kind, string expected) =>
        Current.Kind == kind ? Advance() : throw Unexpected(Current, expected);

    /// <summary>Consumes the ')' matching <paramref name="open"/>, or reports it missing.</summary>
    private Token ExpectClose(Token open, string expected)
    {
        if (Current.Kind == TokenKind.RightParen)
        {
            return Advance();
        }

        var closes = $"to close the '(' at position {open.Position}";
        throw Current.Kind == TokenKind.End
            ? new ExpressionException(text, Current.Position, 1, "Missing ')'", $" {closes}.")
            : new ExpressionException(text, Current.Position, Current.Length, $"Unexpected {Current.Describe()}", $"; expected {expected} {closes}.");
    }

    private ExpressionException Unexpected(Token token, string expected) =>
        token.Kind == TokenKind.End
            ? new ExpressionException(text, token.Position, 1, "Unexpected end of expression", $"; expected {expected}.")
            : new ExpressionException(text, token.Position, token.Length, $"Unexpected {token.Describe()}", $"; expected {expected}.");

    private void Enter(Token token)
    {
        if (++_depth > ExpressionParser.MaxDepth)
        {
            throw TooDeep(token.Position, token.Length);
        }
    }

    /// <summary>Long chains such as a + b + ... are built in loops, not recursion; bound their depth too.</summary>
    private void CheckDepth(ExpressionNode root)
    {
        var stack = new Stack<(ExpressionNode Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.TryPop(out var entry))
        {
            if (entry.Depth > ExpressionParser.MaxDepth)
            {
                throw TooDeep(entry.Node.Position, entry.Node.Length);
            }

            foreach (var child in ExpressionFormatter.Children(entry.Node))
            {
                stack.Push((child, entry.Depth + 1));
            }
        }
    }

    private ExpressionException TooDeep(int position, int length) =>
        new(text, position, Math.Max(1, length), "The expression is nested too deeply", $" (at most {ExpressionParser.MaxDepth} levels).");
}
