using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>Running the two stages over column batches.</summary>
public sealed partial class SqlQuery
{
    /// <summary>The partition stage over one partition's rows of a query over one relation.</summary>
    /// <exception cref="SchemaException">An aggregate overflowed or a column cannot be grouped or ordered.</exception>
    public ColumnBatch RunPartition(ColumnBatch rows) => RunPartition([rows]);

    /// <summary>
    /// The partition stage: the driving relation's rows (one partition's) filtered, joined to every
    /// other relation (each whole: <see cref="RelationSchema"/>'s columns, filtered by <see cref="PushedFilter"/>),
    /// filtered again, then either partial aggregates per group or the select list and order keys cut
    /// to the rows the final result can need (a local top-N when there is an ORDER BY).
    /// </summary>
    /// <param name="relations">The rows of each relation of FROM, in the order written.</param>
    /// <exception cref="SchemaException">An aggregate overflowed, a column cannot be grouped or ordered, or a join made too many rows.</exception>
    public ColumnBatch RunPartition(IReadOnlyList<ColumnBatch> relations)
    {
        ArgumentNullException.ThrowIfNull(relations);
        var rows = Prune(relations[_driving], _driving);
        var selection = _prefilter?.SelectRows(rows) is { } selected && selected.Length != rows.RowCount ? selected : null;
        if (_joins.Count == 0 && selection is not null)
        {
            if (IsAggregate && selection.Length > rows.RowCount / 2 && GroupsInPlace)
            {
                // Most rows pass: group them in place (the others into a group left out) rather than copy every column.
                return Accumulate(rows, selection);
            }

            rows = rows.Take(selection);
        }

        foreach (var join in _joins)
        {
            var build = Filter(Prune(relations[join.Relation], join.Relation), _pushedFilters[join.Relation]);
            rows = SqlJoin.Run(rows, selection, build, join.Kind, join.ProbeKeys, join.BuildKeys, join.Residual, join.Keep);
            selection = null; // the first join applied it
        }

        rows = Filter(rows, _filter);
        return IsAggregate ? Accumulate(rows) : Project(rows);
    }

    private static ColumnBatch Filter(ColumnBatch rows, Expressions.BoundExpression? condition)
    {
        if (condition is null)
        {
            return rows;
        }

        var selected = condition.SelectRows(rows);
        return selected.Length == rows.RowCount ? rows : rows.Take(selected);
    }

    /// <summary>The merge stage over what every partition returned: the result rows, and whether more rows than the result may hold were cut.</summary>
    /// <exception cref="SchemaException">An aggregate overflowed.</exception>
    public (ColumnBatch Rows, bool Truncated) Finish(IReadOnlyList<ColumnBatch> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var parts = partials.Where(p => p.RowCount > 0).ToList();
        return Order(IsAggregate ? Group(parts) : parts.Count == 0 ? EmptyProjection() : Concat(parts));
    }

    /// <summary>
    /// The merge stage of some whole groups (those of one bucket of an exchange by group): merged, HAVING
    /// applied, projected to <see cref="ProjectedSchema"/>, and cut to the rows the final order can need
    /// (unless DISTINCT, which only the coordinator can apply across buckets).
    /// </summary>
    /// <exception cref="SchemaException">An aggregate overflowed.</exception>
    public ColumnBatch FinishGroups(IReadOnlyList<ColumnBatch> partials)
    {
        ArgumentNullException.ThrowIfNull(partials);
        var rows = Group([.. partials.Where(p => p.RowCount > 0)]);
        if (_distinctOutputs || (_order.Count == 0 && RowsNeeded >= rows.RowCount))
        {
            return rows;
        }

        return rows.Take(RowOrder.First([.. rows.Columns.Skip(_outputs.Count)], [.. _order.Select(o => o.Item)], rows.RowCount, RowsNeeded));
    }

    /// <summary>DISTINCT, ORDER BY, OFFSET and LIMIT over projected rows (<see cref="ProjectedSchema"/>): the result rows, and whether rows past the row cap were cut.</summary>
    public (ColumnBatch Rows, bool Truncated) Order(ColumnBatch rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_distinctOutputs)
        {
            rows = rows.Take(GroupIds.Compute([.. rows.Columns.Take(_outputs.Count)], rows.RowCount).First);
        }

        var order = RowOrder.First([.. rows.Columns.Skip(_outputs.Count).Take(_order.Count)], [.. _order.Select(o => o.Item)], rows.RowCount, RowsNeeded);
        var offset = (int)Math.Min(_statement.Offset, order.Length);
        var available = order.Length - offset;
        var wanted = (int)Math.Min(_statement.Limit ?? long.MaxValue, available);
        var truncated = wanted > _maxRows;
        var kept = order.AsSpan(offset, Math.Min(wanted, _maxRows));
        var result = rows.Take(kept);
        return (new ColumnBatch(ResultSchema, [.. result.Columns.Take(_outputs.Count).Select((c, i) => c.WithSchema(ResultSchema[i]))]), truncated);
    }

    /// <summary>Partial aggregates merged per group, HAVING applied, projected.</summary>
    private ColumnBatch Group(List<ColumnBatch> parts)
    {
        var grouped = Merge(parts);
        if (_having is not null)
        {
            grouped = grouped.Take(_having.SelectRows(grouped));
        }

        return Project(grouped);
    }

    /// <summary>
    /// The select list and order keys over <paramref name="rows"/> (the dataset's rows, or the aggregated
    /// rows). Over the dataset's rows they are cut to what the result can need: the order keys are
    /// evaluated first, the first rows chosen (a bounded heap when few are kept), and the select list
    /// evaluated on those rows only.
    /// </summary>
    private ColumnBatch Project(ColumnBatch rows)
    {
        var keys = new List<Column>(_order.Count);
        for (var j = 0; j < _order.Count; j++)
        {
            keys.Add(_order[j].Key.Evaluate(rows, OrderPrefix + j));
        }

        if (!IsAggregate)
        {
            var keep = RowsNeeded;
            int[]? chosen = _order.Count > 0 ? RowOrder.First(keys, [.. _order.Select(o => o.Item)], rows.RowCount, keep)
                : keep < rows.RowCount ? [.. Enumerable.Range(0, keep)]
                : null;
            if (chosen is not null)
            {
                rows = rows.Take(chosen);
                keys = [.. keys.Select(k => k.Take(chosen))];
            }
        }

        var columns = new List<Column>(_outputs.Count + _order.Count);
        for (var i = 0; i < _outputs.Count; i++)
        {
            var output = _outputs[i];
            columns.Add(output.Column is { } name
                ? rows[name].WithSchema(rows[name].Schema with { Name = OutputPrefix + i })
                : output.Expression!.Evaluate(rows, OutputPrefix + i));
        }

        columns.AddRange(keys);
        return new ColumnBatch(columns);
    }

    /// <summary>The rows of the order that the answer can need: those OFFSET skips, then LIMIT's (at most one past the row cap, to tell a cut).</summary>
    private int RowsNeeded => (int)Math.Min(int.MaxValue, Math.Min(_statement.Offset, int.MaxValue) + Math.Min(_statement.Limit ?? long.MaxValue, _maxRows + 1L));

    /// <summary>Only the columns of a relation the query reads (at least one, so a count(*) still sees the rows), by the plan's names for them.</summary>
    private ColumnBatch Prune(ColumnBatch rows, int relation)
    {
        var needed = _needed[relation];
        if (!IsJoin && needed.Count == rows.Columns.Count)
        {
            return rows;
        }

        return new ColumnBatch([.. needed.Select(c => IsJoin ? rows[c].WithSchema(rows[c].Schema with { Name = Qualify(relation, c) }) : rows[c])]);
    }

    /// <summary>
    /// Partial aggregates of one partition: the group keys at each group's first row (with a DISTINCT
    /// aggregate, grouped by its argument too), then each other aggregate's state columns.
    /// </summary>
    private ColumnBatch Accumulate(ColumnBatch rows, int[]? selection = null)
    {
        var keys = new List<Column>(_groupKeys.Count + 1);
        for (var i = 0; i < _groupKeys.Count; i++)
        {
            keys.Add(_groupKeys[i].Evaluate(rows, GroupPrefix + i));
        }

        if (_distinctKey is not null)
        {
            keys.Add(_distinctKey.Evaluate(rows, DistinctColumn));
        }

        var groups = GroupIds.Compute(keys, rows.RowCount);
        var (ids, count, first) = selection is null ? (groups.Ids, groups.Count, groups.First) : Selected(groups, selection, rows.RowCount);
        var columns = keys.Select(k => k.Take(first)).ToList();
        for (var j = 0; j < _aggregates.Count; j++)
        {
            var (aggregate, argument, distinct) = _aggregates[j];
            if (!distinct)
            {
                var values = aggregate.VectorColumn is { } vector ? rows[vector] : argument is null ? null : AsNumbersWhereBoolean(argument.Evaluate(rows, "value"), aggregate);
                var states = aggregate.Accumulate(values, ids, selection is null ? count : count + 1, rows.RowCount, AggregatePrefix + j);
                columns.AddRange(selection is null ? states : states.Select(c => c.Slice(0, count)));
            }
        }

        return new ColumnBatch(columns);
    }

    /// <summary>
    /// True when grouping every row, filtered ones included, cannot fail where the filtered rows alone
    /// would not: keys and arguments are plain columns and no sum can overflow.
    /// </summary>
    private bool GroupsInPlace =>
        _groupKeys.TrueForAll(k => k.IsColumn) && (_distinctKey is null || _distinctKey.IsColumn)
        && _aggregates.TrueForAll(a => a.Argument is null || (a.Argument.IsColumn && a.Aggregate is not SumAggregate { CanOverflow: true }));

    /// <summary>
    /// The groups of the selected rows only, numbered by their first selected row; every other row goes
    /// to one extra group (numbered <c>count</c>) whose states are dropped.
    /// </summary>
    private static (int[] Ids, int Count, int[] First) Selected(GroupIds groups, int[] selection, int rows)
    {
        var renumber = new int[groups.Count];
        Array.Fill(renumber, -1);
        var first = new List<int>();
        var selected = new bool[rows];
        foreach (var row in selection)
        {
            selected[row] = true;
            ref var id = ref renumber[groups.Ids[row]];
            if (id < 0)
            {
                id = first.Count;
                first.Add(row);
            }
        }

        var ids = new int[rows];
        for (var row = 0; row < rows; row++)
        {
            ids[row] = selected[row] ? renumber[groups.Ids[row]] : first.Count;
        }

        return (ids, first.Count, [.. first]);
    }

    /// <summary>
    /// The partitions' partial aggregates merged per group and finished: one row per group, the keys
    /// then the aggregates. With a DISTINCT aggregate the parts are first merged per (group, argument),
    /// so each distinct value counts once however many partitions saw it; the DISTINCT aggregates then
    /// run over those values, the others merge on.
    /// </summary>
    private ColumnBatch Merge(List<ColumnBatch> parts)
    {
        var rows = parts.Sum(p => p.RowCount);
        var combined = rows == 0
            ? [.. ColumnBatch.Empty(PartialSchema).Columns]
            : Enumerable.Range(0, PartialSchema.Count).Select(c => Column.Concat([.. parts.Select(p => p[c])])).ToList();
        var keyCount = _groupKeys.Count + (_distinctKey is null ? 0 : 1);
        var keys = combined.GetRange(0, keyCount);
        var states = combined.GetRange(keyCount, combined.Count - keyCount);
        if (_distinctKey is not null)
        {
            var distinct = GroupIds.Compute(keys, rows);
            states = MergeStates(states, distinct);
            keys = [.. keys.Select(k => k.Take(distinct.First))];
            rows = distinct.Count;
        }

        // No rows anywhere: no groups, except that an aggregate without GROUP BY has one row (count 0, the rest null).
        var groups = GroupIds.Compute([.. keys.Take(_groupKeys.Count)], rows);
        var groupCount = rows == 0 && _groupKeys.Count == 0 ? 1 : groups.Count;
        var columns = keys.Take(_groupKeys.Count).Select(k => k.Take(groups.First)).ToList();
        var at = 0;
        for (var j = 0; j < _aggregates.Count; j++)
        {
            var (aggregate, _, distinct) = _aggregates[j];
            var prefix = AggregatePrefix + j;
            if (distinct)
            {
                var values = AsNumbersWhereBoolean(keys[_groupKeys.Count], aggregate);
                columns.Add(aggregate.Finish(aggregate.Accumulate(values, groups.Ids, groupCount, rows, prefix), prefix));
            }
            else
            {
                columns.Add(aggregate.Finish(aggregate.Merge(states.GetRange(at, aggregate.StateTypes.Count), groups.Ids, groupCount, prefix), prefix));
                at += aggregate.StateTypes.Count;
            }
        }

        return columns.Count == 0 ? ColumnBatch.Empty(new DatasetSchema([])) : new ColumnBatch(columns);
    }

    /// <summary>The states of the non-DISTINCT aggregates merged per group of <paramref name="groups"/>, not finished.</summary>
    private List<Column> MergeStates(List<Column> states, GroupIds groups)
    {
        var merged = new List<Column>(states.Count);
        var at = 0;
        for (var j = 0; j < _aggregates.Count; j++)
        {
            var (aggregate, _, distinct) = _aggregates[j];
            if (!distinct)
            {
                merged.AddRange(aggregate.Merge(states.GetRange(at, aggregate.StateTypes.Count), groups.Ids, groups.Count, AggregatePrefix + j));
                at += aggregate.StateTypes.Count;
            }
        }

        return merged;
    }

    /// <summary>No partition returned a row: the projected columns, empty.</summary>
    private ColumnBatch EmptyProjection() => ColumnBatch.Empty(PartialSchema);

    private static ColumnBatch Concat(List<ColumnBatch> parts) =>
        parts.Count == 1 ? parts[0] : new ColumnBatch([.. Enumerable.Range(0, parts[0].Columns.Count).Select(c => Column.Concat([.. parts.Select(p => p[c])]))]);

    /// <summary>Sums, averages and variances of a condition count its true rows: booleans become 0 and 1.</summary>
    private static Column AsNumbersWhereBoolean(Column values, SqlAggregate aggregate)
    {
        if (values is not BooleanColumn booleans || aggregate is MinMaxAggregate or CountAggregate)
        {
            return values;
        }

        var numbers = new long[booleans.Length];
        var source = booleans.Values;
        for (var i = 0; i < numbers.Length; i++)
        {
            numbers[i] = source[i] ? 1 : 0;
        }

        return new Int64Column(new ColumnSchema(values.Name, ColumnType.Int64), numbers, booleans.Nulls);
    }
}
