namespace OrleansMl.Data.Expressions.Evaluation;

internal enum TextFunction
{
    Lower,
    Upper,
}
