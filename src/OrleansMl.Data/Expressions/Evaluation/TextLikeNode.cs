using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// <c>x LIKE 'pattern'</c> over String or Categorical values: <c>%</c> matches any run of characters
/// (none included), <c>_</c> exactly one; the whole value must match. Ordinal, or ignoring case by
/// invariant lower-casing for ILIKE. Null for a null value. Answers are remembered per string instance
/// for categorical columns.
/// </summary>
internal sealed class TextLikeNode(TextNode operand, string pattern, bool ignoreCase) : PrimitiveNode<bool>(ColumnType.Boolean)
{
    private readonly string _pattern = ignoreCase ? pattern.ToLowerInvariant() : pattern;

    public override Values<bool> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.Scalar is null ? Values<bool>.Null : Values<bool>.Constant(Matches(x.Scalar));
        }

        var values = x.Span;
        var result = Values<bool>.Rent(context);
        var found = result.Writable;
        bool[]? nulls = null;
        var memo = operand.RepeatsInstances ? new StringMemo<bool>() : null;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } value)
            {
                found[i] = false;
                (nulls ??= new bool[values.Length])[i] = true;
            }
            else if (memo is null)
            {
                found[i] = Matches(value);
            }
            else if (!memo.TryGet(value, out found[i], out var slot))
            {
                memo.Set(slot, value, found[i] = Matches(value));
            }
        }

        return result.WithNulls(nulls);
    }

    /// <summary>Wildcard matching that remembers the last <c>%</c> and retries from one character further: linear in practice, never exponential.</summary>
    private bool Matches(string value)
    {
        int v = 0, p = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < _pattern.Length && _pattern[p] == '%')
            {
                star = p++;
                resume = v;
            }
            else if (p < _pattern.Length && (_pattern[p] == '_' || Same(_pattern[p], value[v])))
            {
                p++;
                v++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < _pattern.Length && _pattern[p] == '%')
        {
            p++;
        }

        return p == _pattern.Length;
    }

    private bool Same(char patternChar, char valueChar) => patternChar == (ignoreCase ? char.ToLowerInvariant(valueChar) : valueChar);
}
