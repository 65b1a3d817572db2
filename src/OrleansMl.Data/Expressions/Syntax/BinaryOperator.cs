namespace OrleansMl.Data.Expressions.Syntax;

public enum BinaryOperator
{
    /// <summary><c>+</c>.</summary>
    Add,

    /// <summary><c>-</c>.</summary>
    Subtract,

    /// <summary><c>*</c>.</summary>
    Multiply,

    /// <summary><c>/</c>, always a float64 result.</summary>
    Divide,

    /// <summary><c>%</c>.</summary>
    Modulo,

    /// <summary><c>=</c>, <c>==</c>.</summary>
    Equal,

    /// <summary><c>!=</c>, <c>&lt;&gt;</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>AND</c>, <c>&amp;&amp;</c>.</summary>
    And,

    /// <summary><c>OR</c>, <c>||</c>.</summary>
    Or,
}
