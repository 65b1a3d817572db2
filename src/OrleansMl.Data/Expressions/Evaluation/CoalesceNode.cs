namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary><c>coalesce(a, b, ...)</c> over numbers, booleans or timestamps: per row, the first argument that is not null.</summary>
internal sealed class CoalesceNode<T>(PrimitiveNode<T>[] arguments) : PrimitiveNode<T>(arguments[0].Type)
    where T : unmanaged
{
    public override Values<T> Evaluate(EvaluationContext context)
    {
        var index = 0;
        var first = arguments[0].Evaluate(context);
        while (first.IsNull && ++index < arguments.Length)
        {
            first = arguments[index].Evaluate(context);
        }

        // Later arguments are evaluated only while some row is still null.
        if (first.IsScalar || first.Nulls is null)
        {
            return first;
        }

        var result = Values<T>.Reuse(context, first);
        var values = result.Writable;
        if (!first.OwnsArray)
        {
            first.Span.CopyTo(values);
        }

        var nulls = (bool[])first.Nulls.Clone();
        var remaining = nulls.AsSpan().Count(true);
        for (index++; index < arguments.Length && remaining > 0; index++)
        {
            var next = arguments[index].Evaluate(context);
            if (next.IsNull)
            {
                continue;
            }

            var nextValues = next.Span;
            for (var i = 0; i < values.Length; i++)
            {
                if (nulls[i] && (next.IsScalar || next.Nulls is not { } nextNulls || !nextNulls[i]))
                {
                    values[i] = next.IsScalar ? next.Scalar : nextValues[i];
                    nulls[i] = false;
                    remaining--;
                }
            }

            next.Release();
        }

        return result.WithNulls(remaining > 0 ? nulls : null);
    }
}
