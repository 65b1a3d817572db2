using System.Buffers;
using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// One evaluation of a bound expression over one batch: the columns it reads, by slot, their null rows,
/// and the pool that intermediate results are rented from, so repeated evaluations do not allocate a
/// column-sized array per operation.
/// </summary>
internal sealed class EvaluationContext
{
    private readonly Column[] _columns;
    private readonly bool[]?[] _nulls;
    private readonly bool[] _nullsConverted;

    private EvaluationContext(int rowCount, Column[] columns)
    {
        RowCount = rowCount;
        _columns = columns;
        _nulls = new bool[]?[columns.Length];
        _nullsConverted = new bool[columns.Length];
    }

    /// <summary>One row and no columns: what constant folding evaluates on.</summary>
    public static EvaluationContext SingleRow { get; } = new(1, []);

    public int RowCount { get; }

    /// <summary>Finds the referenced columns in <paramref name="batch"/> by name and checks their types.</summary>
    /// <exception cref="SchemaException">The batch lacks a column or has it with another type.</exception>
    public static EvaluationContext For(ColumnBatch batch, IReadOnlyList<ReferencedColumn> columns, string text)
    {
        var found = new Column[columns.Count];
        for (var slot = 0; slot < found.Length; slot++)
        {
            var (name, type) = columns[slot];
            var index = batch.Schema.IndexOf(name);
            if (index < 0)
            {
                throw new SchemaException($"The expression '{text}' reads column '{name}', which the batch does not have. Columns: {string.Join(", ", batch.Schema.Columns.Select(c => c.Name))}.");
            }

            if (batch.Schema[index].Type != type)
            {
                throw new SchemaException($"The expression '{text}' was bound with column '{name}' as {type.ToString().ToLowerInvariant()}; the batch has it as {batch.Schema[index].Type.ToString().ToLowerInvariant()}.");
            }

            found[slot] = batch[index];
        }

        return new EvaluationContext(batch.RowCount, found);
    }

    public Column Column(int slot) => _columns[slot];

    /// <summary>The column's null rows as one bool per row, or null when it has none; converted once per evaluation.</summary>
    public bool[]? NullsOf(int slot)
    {
        if (!_nullsConverted[slot])
        {
            _nulls[slot] = _columns[slot].Nulls is { } mask ? Masks.FromNullMask(mask) : null;
            _nullsConverted[slot] = true;
        }

        return _nulls[slot];
    }

    /// <summary>A pooled array of at least <see cref="RowCount"/> elements.</summary>
    public T[] RentArray<T>()
        where T : unmanaged => ArrayPool<T>.Shared.Rent(RowCount);
}
