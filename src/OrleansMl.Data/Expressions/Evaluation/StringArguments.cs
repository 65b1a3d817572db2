namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>The evaluated arguments of a string function, read per row as text or as an integer (null when the row's value is null).</summary>
internal sealed class StringArguments
{
    private readonly TextValues[] _texts;
    private readonly Values<long>[] _numbers;
    private readonly bool[] _isText;

    public StringArguments(BoundNode[] arguments, EvaluationContext context)
    {
        _texts = new TextValues[arguments.Length];
        _numbers = new Values<long>[arguments.Length];
        _isText = new bool[arguments.Length];
        for (var a = 0; a < arguments.Length; a++)
        {
            if (arguments[a] is TextNode text)
            {
                _isText[a] = true;
                _texts[a] = text.Evaluate(context);
            }
            else
            {
                _numbers[a] = ((PrimitiveNode<long>)arguments[a]).Evaluate(context);
            }
        }
    }

    public string? Text(int argument, int row) =>
        _texts[argument].IsScalar ? _texts[argument].Scalar : _texts[argument].Span[row];

    public long? Number(int argument, int row)
    {
        var values = _numbers[argument];
        return values.IsScalar ? (values.IsNull ? null : values.Scalar) : values.Nulls?[row] == true ? null : values.Span[row];
    }

    public void Release()
    {
        for (var a = 0; a < _numbers.Length; a++)
        {
            if (!_isText[a])
            {
                _numbers[a].Release();
            }
        }
    }
}
