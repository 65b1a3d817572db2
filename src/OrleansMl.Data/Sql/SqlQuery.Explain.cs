namespace OrleansMl.Data.Sql;

/// <summary><c>EXPLAIN</c>: what each stage does, in words.</summary>
public sealed partial class SqlQuery
{
    public const string PartitionStage = "partition";
    public const string MergeStage = "merge";

    private List<string> _groupTexts = [];
    private List<string> _aggregateTexts = [];

    /// <summary>True when the statement asks for its plan (<c>EXPLAIN SELECT …</c>) rather than its rows.</summary>
    public bool IsExplain => _statement.Explain;

    /// <summary>The plan: (stage, what it does) in the order it happens; the stage is <see cref="PartitionStage"/> (in every partition grain at once) or <see cref="MergeStage"/> (at the coordinator).</summary>
    public IReadOnlyList<(string Stage, string Step)> Explain()
    {
        var steps = new List<(string, string)>
        {
            (PartitionStage, $"read {ReadColumns.Count} column(s) of the cached partition{(IsJoin ? $" of {_aliases[_driving]}" : "")}: {string.Join(", ", ReadColumns)}"),
        };
        if (RangeConditions().ToList() is { Count: > 0 } ranged)
        {
            steps.Insert(0, (PartitionStage, $"skip the partition, or read only some row groups of it when not cached, where its file's ranges rule out {string.Join(" AND ", ranged)}"));
        }

        if (_prefilterText is not null)
        {
            steps.Add((PartitionStage, "filter " + _prefilterText));
        }

        foreach (var join in _joins)
        {
            var kind = join.Kind switch { JoinKind.Cross => "cross join", JoinKind.Inner => "hash join", _ => $"{join.Kind.ToString().ToLowerInvariant()} outer hash join" };
            steps.Add((PartitionStage, $"{kind} {_aliases[join.Relation]} (held whole in every partition grain: {string.Join(", ", _needed[join.Relation])}"
                + (PushedFilter(join.Relation) is { } pushed ? $", rows where {pushed}" : "") + ")" + (join.Condition is { } on ? " on " + on : "")));
        }

        if (_filterText is not null)
        {
            steps.Add((PartitionStage, "filter " + _filterText));
        }

        if (IsAggregate)
        {
            steps.Add((PartitionStage, (_groupTexts.Count == 0 ? "one group" : "group by " + string.Join(", ", _groupTexts))
                + (_distinctText is null ? "" : $" and by {_distinctText} (for DISTINCT)")
                + (_aggregateTexts.Count == 0 ? "" : "; partial " + string.Join(", ", _aggregateTexts))));
            steps.Add((PartitionStage, "send one row per group to the coordinator (Parquet bytes)"));
            steps.Add((MergeStage, "merge the groups of all partitions" + (_distinctText is null ? "" : $" (first per distinct {_distinctText})") + (_aggregateTexts.Count == 0 ? "" : " and finish the aggregates")));
            if (_statement.Having is { } having)
            {
                steps.Add((MergeStage, "having " + Display(having)));
            }

            if (_distinctOutputs)
            {
                steps.Add((MergeStage, "distinct rows"));
            }
        }
        else
        {
            steps.Add((PartitionStage, _order.Count > 0 ? $"keep the first {RowsNeeded:N0} rows by the order" : $"keep at most {RowsNeeded:N0} rows"));
            steps.Add((PartitionStage, $"evaluate the select list on the kept rows; send them to the coordinator (Parquet bytes)"));
        }

        if (_order.Count > 0)
        {
            steps.Add((MergeStage, "order by " + string.Join(", ", _statement.OrderBy.Select(o => Display(o.Expression) + (o.Descending ? " DESC" : "") + (o.NullsFirst ? " NULLS FIRST" : "")))));
        }

        steps.Add((MergeStage, $"skip {_statement.Offset:N0} rows, return at most {Math.Min(_statement.Limit ?? long.MaxValue, _maxRows):N0}: {string.Join(", ", ResultSchema.Columns.Select(c => c.Name))}"));
        return steps;
    }
}
