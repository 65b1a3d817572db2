using System.Numerics;
using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// Comparison loops over spans, one tight loop per operator: the operator is a struct type argument,
/// so the JIT compiles a specialised loop for each operator and element type.
/// </summary>
internal static class Comparisons
{
    private interface IComparison
    {
        static abstract bool Holds<T>(T x, T y)
            where T : IComparisonOperators<T, T, bool>;

        static abstract bool Holds(int comparison);
    }

    /// <summary>The operator with its operands swapped: a &lt; b is b &gt; a.</summary>
    public static BinaryOperator Mirror(BinaryOperator op) => op switch
    {
        BinaryOperator.LessThan => BinaryOperator.GreaterThan,
        BinaryOperator.LessThanOrEqual => BinaryOperator.GreaterThanOrEqual,
        BinaryOperator.GreaterThan => BinaryOperator.LessThan,
        BinaryOperator.GreaterThanOrEqual => BinaryOperator.LessThanOrEqual,
        _ => op,
    };

    /// <summary>Whether <c>a op b</c> holds, given <c>c = compare(a, b)</c>.</summary>
    public static bool Holds(BinaryOperator op, int comparison) => op switch
    {
        BinaryOperator.Equal => Equal.Holds(comparison),
        BinaryOperator.NotEqual => NotEqual.Holds(comparison),
        BinaryOperator.LessThan => Less.Holds(comparison),
        BinaryOperator.LessThanOrEqual => LessOrEqual.Holds(comparison),
        BinaryOperator.GreaterThan => Greater.Holds(comparison),
        BinaryOperator.GreaterThanOrEqual => GreaterOrEqual.Holds(comparison),
        _ => throw NotAComparison(op),
    };

    public static void Compare<T>(BinaryOperator op, ReadOnlySpan<T> x, T y, Span<bool> result)
        where T : IComparisonOperators<T, T, bool>
    {
        switch (op)
        {
            case BinaryOperator.Equal: Run<T, Equal>(x, y, result); break;
            case BinaryOperator.NotEqual: Run<T, NotEqual>(x, y, result); break;
            case BinaryOperator.LessThan: Run<T, Less>(x, y, result); break;
            case BinaryOperator.LessThanOrEqual: Run<T, LessOrEqual>(x, y, result); break;
            case BinaryOperator.GreaterThan: Run<T, Greater>(x, y, result); break;
            case BinaryOperator.GreaterThanOrEqual: Run<T, GreaterOrEqual>(x, y, result); break;
            default: throw NotAComparison(op);
        }
    }

    public static void Compare<T>(BinaryOperator op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<bool> result)
        where T : IComparisonOperators<T, T, bool>
    {
        switch (op)
        {
            case BinaryOperator.Equal: Run<T, Equal>(x, y, result); break;
            case BinaryOperator.NotEqual: Run<T, NotEqual>(x, y, result); break;
            case BinaryOperator.LessThan: Run<T, Less>(x, y, result); break;
            case BinaryOperator.LessThanOrEqual: Run<T, LessOrEqual>(x, y, result); break;
            case BinaryOperator.GreaterThan: Run<T, Greater>(x, y, result); break;
            case BinaryOperator.GreaterThanOrEqual: Run<T, GreaterOrEqual>(x, y, result); break;
            default: throw NotAComparison(op);
        }
    }

    private static void Run<T, TOp>(ReadOnlySpan<T> x, T y, Span<bool> result)
        where T : IComparisonOperators<T, T, bool>
        where TOp : struct, IComparison
    {
        result = result[..x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = TOp.Holds(x[i], y);
        }
    }

    private static void Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<bool> result)
        where T : IComparisonOperators<T, T, bool>
        where TOp : struct, IComparison
    {
        y = y[..x.Length];
        result = result[..x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = TOp.Holds(x[i], y[i]);
        }
    }

    private static ArgumentOutOfRangeException NotAComparison(BinaryOperator op) => new(nameof(op), op, "Not a comparison.");

    private readonly struct Equal : IComparison
    {
        public static bool Holds<T>(T x, T y) where T : IComparisonOperators<T, T, bool> => x == y;

        public static bool Holds(int comparison) => comparison == 0;
    }

    private readonly struct NotEqual : IComparison
    {
        public static bool Holds<T>(T x, T y) where T : IComparisonOperators<T, T, bool> => x != y;

        public static bool Holds(int comparison) => comparison != 0;
    }

    private readonly struct Less : IComparison
    {
        public static bool Holds<T>(T x, T y) where T : IComparisonOperators<T, T, bool> => x < y;

        public static bool Holds(int comparison) => comparison < 0;
    }

    private readonly struct LessOrEqual : IComparison
    {
        public static bool Holds<T>(T x, T y) where T : IComparisonOperators<T, T, bool> => x <= y;

        public static bool Holds(int comparison) => comparison <= 0;
    }

    private readonly struct Greater : IComparison
    {
        public static bool Holds<T>(T x, T y) where T : IComparisonOperators<T, T, bool> => x > y;

        public static bool Holds(int comparison) => comparison > 0;
    }

    private readonly struct GreaterOrEqual : IComparison
    {
        public static bool Holds<T>(T x, T y) where T : IComparisonOperators<T, T, bool> => x >= y;

        public static bool Holds(int comparison) => comparison >= 0;
    }
}
