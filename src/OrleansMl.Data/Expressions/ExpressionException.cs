using System.Text;

namespace OrleansMl.Data.Expressions;

/// <summary>
/// An expression does not parse, names an unknown column or function, or mixes types that do not go
/// together. <see cref="Exception.Message"/> says what and where, then quotes the expression with a
/// caret line under the offending part:
/// <code>
/// Unknown column 'prise' at position 12 (did you mean 'price'?). Columns: id, price, qty.
///   qty > 2 and prise > 10
///               ^^^^^
/// </code>
/// </summary>
public sealed class ExpressionException : Exception
{
    private const int MaxShownLength = 100;

    /// <param name="text">The expression text.</param>
    /// <param name="position">0-based offset of the offending part; <paramref name="text"/>'s length for the end.</param>
    /// <param name="length">Characters of the offending part (at least one caret is drawn).</param>
    /// <param name="problem">What is wrong, e.g. <c>Unknown column 'prise'</c>; the message continues with " at position N".</param>
    /// <param name="detail">What follows the position, e.g. <c> (did you mean 'price'?).</c>; a full stop when omitted.</param>
    public ExpressionException(string text, int position, int length, string problem, string? detail = null)
        : base(Format(text, position, length, problem, detail))
    {
        Text = text;
        Position = position;
        Length = length;
        Problem = problem;
    }

    /// <summary>The whole expression.</summary>
    public string Text { get; }

    /// <summary>0-based character offset of the offending part.</summary>
    public int Position { get; }

    /// <summary>Length in characters of the offending part.</summary>
    public int Length { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Format(string text, int position, int length, string problem, string? detail)
    {
        var message = new StringBuilder()
            .Append(problem).Append(" at position ").Append(position).Append(detail ?? ".");
        if (text.Length == 0)
        {
            return message.ToString();
        }

        // Show a window around the offending part of a long expression, keeping the caret aligned.
        position = Math.Clamp(position, 0, text.Length);
        var start = text.Length <= MaxShownLength ? 0 : Math.Max(0, position - (MaxShownLength / 2));
        var end = Math.Min(text.Length, start + MaxShownLength);
        length = Math.Clamp(length, 1, Math.Max(1, end - position));
        var prefix = start > 0 ? "..." : string.Empty;
        var suffix = end < text.Length ? "..." : string.Empty;
        var shown = new StringBuilder(text, start, end - start, end - start);
        for (var i = 0; i < shown.Length; i++)
        {
            if (char.IsControl(shown[i]))
            {
                shown[i] = ' ';
            }
        }

        message.Append("\n  ").Append(prefix).Append(shown).Append(suffix)
            .Append("\n  ").Append(' ', prefix.Length + position - start).Append('^', length);
        return message.ToString();
    }
}
