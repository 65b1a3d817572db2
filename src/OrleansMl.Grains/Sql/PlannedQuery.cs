using OrleansMl.Data.Schema;
using OrleansMl.Data.Sql;
using OrleansMl.Datasets;

namespace OrleansMl.Sql;

/// <summary>One SELECT planned: its plan, its own text (what partition grains plan again) and what each relation of its FROM is.</summary>
internal sealed record PlannedQuery(SqlQuery Plan, string Text, IReadOnlyList<PlannedInput> Relations)
{
    /// <summary>True when the SELECT runs once at the coordinator over all rows: no dataset to drive it, or a RIGHT/FULL join keeping a broadcast relation's unmatched rows.</summary>
    public bool AtCoordinator => Plan.RunsAtCoordinator || Relations[Plan.Driving] is not DatasetInput;
}

/// <summary>What a relation of FROM reads.</summary>
internal abstract record PlannedInput(DatasetSchema Schema);

/// <summary>A dataset version, read in its partition grains.</summary>
internal sealed record DatasetInput(string Name, DatasetVersionInfo Version) : PlannedInput(RowJson.Schema(Version.Columns));

/// <summary>A subquery or a WITH query, run first and held whole.</summary>
internal sealed record SubqueryInput(PlannedQuery Query) : PlannedInput(Query.Plan.ResultSchema);

/// <summary>The branches of UNION ALL, run first and held whole one after the other.</summary>
internal sealed record UnionInput(IReadOnlyList<PlannedQuery> Branches, DatasetSchema Schema) : PlannedInput(Schema);

/// <summary>The rows of the query below a SELECT's window functions, held whole, with each function's column (<see cref="Columns"/>) added.</summary>
internal sealed record WindowInput(PlannedQuery Below, IReadOnlyList<WindowFunction> Functions, IReadOnlyList<ColumnSchema> Columns, DatasetSchema Schema) : PlannedInput(Schema);

/// <summary>A file read in place (<c>read_parquet</c>, <c>read_csv</c>, …) at the coordinator, held whole.</summary>
internal sealed record FileInput(FileRelation Relation, ImportRequest Request, DatasetSchema Schema) : PlannedInput(Schema);
