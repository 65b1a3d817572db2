using System.Globalization;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Tests.Expressions;

/// <summary>
/// The documented semantics, written the obvious way: one row at a time, straight from the syntax tree,
/// with SQL null rules spelt out case by case. The engine must agree with it on every row.
/// Values are long, double, bool, string (timestamps are long microseconds) or null.
/// </summary>
internal sealed class ReferenceEvaluator(ColumnBatch batch)
{
    public object? Evaluate(ExpressionNode node, int row) => node switch
    {
        LiteralNode literal => literal.Value,
        ColumnReferenceNode column => Read(batch[column.Name], row),
        UnaryNode { Operator: UnaryOperator.Negate } unary => Evaluate(unary.Operand, row) switch
        {
            null => null,
            long value => unchecked(-value),
            var value => -(double)value,
        },
        UnaryNode unary => Not((bool?)Evaluate(unary.Operand, row)),
        BinaryNode { Operator: BinaryOperator.And } and => And((bool?)Evaluate(and.Left, row), (bool?)Evaluate(and.Right, row)),
        BinaryNode { Operator: BinaryOperator.Or } or => Or((bool?)Evaluate(or.Left, row), (bool?)Evaluate(or.Right, row)),
        BinaryNode binary when IsArithmetic(binary.Operator) => Arithmetic(binary, Evaluate(binary.Left, row), Evaluate(binary.Right, row)),
        BinaryNode comparison => Compare(comparison.Operator, Evaluate(comparison.Left, row), Evaluate(comparison.Right, row), IsFloat(comparison.Left) || IsFloat(comparison.Right)),
        IsNullNode isNull => (Evaluate(isNull.Operand, row) is null) != isNull.Negated,
        InNode inNode => Negate(In(inNode, row), inNode.Negated),
        BetweenNode between => Negate(Between(between, row), between.Negated),
        FunctionCallNode call => Call(call, row),
        _ => throw new ArgumentException(node.GetType().Name),
    };

    /// <summary>Whether the engine computes this node in float64 (the static type rules, restated).</summary>
    public bool IsFloat(ExpressionNode node) => node switch
    {
        LiteralNode literal => literal.Value is double,
        ColumnReferenceNode column => batch.Schema.Get(column.Name).Type == ColumnType.Float64,
        UnaryNode { Operator: UnaryOperator.Negate } unary => IsFloat(unary.Operand),
        BinaryNode binary when IsArithmetic(binary.Operator) => binary.Operator == BinaryOperator.Divide || IsFloat(binary.Left) || IsFloat(binary.Right),
        FunctionCallNode call => call.Name.ToLowerInvariant() switch
        {
            "sqrt" or "log" or "exp" => true,
            "abs" or "floor" or "ceil" or "round" => IsFloat(call.Arguments[0]),
            "coalesce" => call.Arguments.Any(IsFloat),
            _ => false,
        },
        _ => false,
    };

    private bool IsTimestamp(ExpressionNode node) => node switch
    {
        ColumnReferenceNode column => batch.Schema.Get(column.Name).Type == ColumnType.Timestamp,
        FunctionCallNode call => call.Name.Equals("coalesce", StringComparison.OrdinalIgnoreCase) && call.Arguments.Any(IsTimestamp),
        _ => false,
    };

    private static object? Read(Column column, int row) => column.IsNull(row) ? null : column switch
    {
        Int64Column int64 => int64.Values[row],
        Float64Column float64 => float64.Values[row],
        BooleanColumn boolean => boolean.Values[row],
        StringColumn text => text.Values[row],
        _ => throw new ArgumentException(column.Type.ToString()),
    };

    private static bool IsArithmetic(BinaryOperator op) =>
        op is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo;

    private object? Arithmetic(BinaryNode node, object? left, object? right)
    {
        if (left is null || right is null)
        {
            return null;
        }

        if (!IsFloat(node))
        {
            long a = (long)left, b = (long)right;
            return node.Operator switch
            {
                BinaryOperator.Add => unchecked(a + b),
                BinaryOperator.Subtract => unchecked(a - b),
                BinaryOperator.Multiply => unchecked(a * b),
                _ => b == 0 ? null : b == -1 ? 0L : a % b,
            };
        }

        double x = Convert.ToDouble(left, CultureInfo.InvariantCulture), y = Convert.ToDouble(right, CultureInfo.InvariantCulture);
        return node.Operator switch
        {
            BinaryOperator.Add => x + y,
            BinaryOperator.Subtract => x - y,
            BinaryOperator.Multiply => x * y,
            BinaryOperator.Divide => y == 0 ? null : x / y,
            _ => y == 0 ? null : x % y,
        };
    }

    private static bool? Compare(BinaryOperator op, object? left, object? right, bool asFloat)
    {
        if (left is null || right is null)
        {
            return null;
        }

        int comparison;
        switch (left, right)
        {
            case (string a, string b):
                comparison = string.CompareOrdinal(a, b);
                break;
            case (bool a, bool b):
                return op == BinaryOperator.Equal ? a == b : a != b;
            case (long a, string b):
                comparison = a.CompareTo(Timestamp(b));
                break;
            case (string a, long b):
                comparison = Timestamp(a).CompareTo(b);
                break;
            case (long a, long b) when !asFloat:
                comparison = a.CompareTo(b);
                break;
            default:
                // IEEE: NaN is neither less, equal nor greater.
                double x = Convert.ToDouble(left, CultureInfo.InvariantCulture), y = Convert.ToDouble(right, CultureInfo.InvariantCulture);
                return op switch
                {
                    BinaryOperator.Equal => x == y,
                    BinaryOperator.NotEqual => x != y,
                    BinaryOperator.LessThan => x < y,
                    BinaryOperator.LessThanOrEqual => x <= y,
                    BinaryOperator.GreaterThan => x > y,
                    _ => x >= y,
                };
        }

        return op switch
        {
            BinaryOperator.Equal => comparison == 0,
            BinaryOperator.NotEqual => comparison != 0,
            BinaryOperator.LessThan => comparison < 0,
            BinaryOperator.LessThanOrEqual => comparison <= 0,
            BinaryOperator.GreaterThan => comparison > 0,
            _ => comparison >= 0,
        };
    }

    private bool? In(InNode node, int row)
    {
        var value = Evaluate(node.Operand, row);
        var asFloat = IsFloat(node.Operand) || node.Items.Any(i => i.Value is double);
        var sawNull = false;
        foreach (var item in node.Items)
        {
            switch (Compare(BinaryOperator.Equal, value, item.Value, asFloat))
            {
                case true:
                    return true;
                case null:
                    sawNull = true;
                    break;
            }
        }

        return sawNull ? null : false;
    }

    private bool? Between(BetweenNode node, int row)
    {
        var value = Evaluate(node.Operand, row);
        var lower = Evaluate(node.Lower, row);
        var upper = Evaluate(node.Upper, row);
        return And(
            Compare(BinaryOperator.GreaterThanOrEqual, value, lower, IsFloat(node.Operand) || IsFloat(node.Lower)),
            Compare(BinaryOperator.LessThanOrEqual, value, upper, IsFloat(node.Operand) || IsFloat(node.Upper)));
    }

    private object? Call(FunctionCallNode call, int row)
    {
        var name = call.Name.ToLowerInvariant();
        if (name == "coalesce")
        {
            foreach (var argument in call.Arguments)
            {
                switch (Evaluate(argument, row))
                {
                    case null:
                        continue;
                    case string text when IsTimestamp(call):
                        return Timestamp(text);
                    case long whole when IsFloat(call):
                        return (double)whole;
                    case var value:
                        return value;
                }
            }

            return null;
        }

        var x = Evaluate(call.Arguments[0], row);
        if (x is null)
        {
            return null;
        }

        return (name, x) switch
        {
            ("abs", long v) => v < 0 ? unchecked(-v) : v,
            ("floor" or "ceil" or "round", long v) => v,
            ("lower", string s) => s.ToLowerInvariant(),
            ("upper", string s) => s.ToUpperInvariant(),
            ("length", string s) => (long)s.Length,
            _ => Math(name, Convert.ToDouble(x, CultureInfo.InvariantCulture), call.Arguments.Count > 1 ? (int)(long)((LiteralNode)call.Arguments[1]).Value! : 0),
        };
    }

    private static object? Math(string name, double x, int digits) => name switch
    {
        "abs" => System.Math.Abs(x),
        "sqrt" => x < 0 ? null : System.Math.Sqrt(x),
        "log" => x <= 0 ? null : System.Math.Log(x),
        "exp" => System.Math.Exp(x),
        "floor" => System.Math.Floor(x),
        "ceil" => System.Math.Ceiling(x),
        "round" => System.Math.Round(x, digits, MidpointRounding.AwayFromZero),
        _ => throw new ArgumentException(name),
    };

    private static long Timestamp(string text) => ExpressionTestData.Microseconds(text);

    private static bool? Not(bool? x) => x is null ? null : !x;

    private static bool? Negate(bool? x, bool negated) => negated ? Not(x) : x;

    private static bool? And(bool? x, bool? y) => x == false || y == false ? false : x is null || y is null ? null : true;

    private static bool? Or(bool? x, bool? y) => x == true || y == true ? true : x is null || y is null ? null : false;
}
