namespace OrleansMl.Data.Expressions.Syntax;

/// <summary>
/// <c>CASE WHEN condition THEN value ... [ELSE value] END</c>, or with an <see cref="Operand"/>
/// <c>CASE x WHEN a THEN value ...</c> (each WHEN compared with <c>x = a</c>): per row the value of the
/// first WHEN that is true, else the ELSE value (null without ELSE).
/// </summary>
public sealed record CaseNode(ExpressionNode? Operand, IReadOnlyList<CaseBranch> Branches, ExpressionNode? Else, int Position, int Length)
    : ExpressionNode(Position, Length);

/// <summary>One <c>WHEN ... THEN ...</c> of a <see cref="CaseNode"/>.</summary>
public sealed record CaseBranch(ExpressionNode When, ExpressionNode Then);
