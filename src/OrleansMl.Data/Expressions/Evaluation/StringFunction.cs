namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>The string functions of more than one argument (see <see cref="StringCallNode"/>).</summary>
internal enum StringFunction
{
    Substring,
    Left,
    Right,
    Trim,
    LeftTrim,
    RightTrim,
    Replace,
    Concat,
    StartsWith,
    EndsWith,
    Contains,
    Position,
}
