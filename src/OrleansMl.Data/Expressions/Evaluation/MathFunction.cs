namespace OrleansMl.Data.Expressions.Evaluation;

internal enum MathFunction
{
    Abs,
    Sqrt,
    Log,
    Exp,
    Floor,
    Ceiling,
    Round,
}
