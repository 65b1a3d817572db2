namespace OrleansMl.Sql;

/// <summary>
/// What a partition grain runs of a query: the text of one SELECT (it plans it again, the same way the
/// coordinator did), the relation of its FROM that the partition's rows stand for, and every other
/// relation whole (a broadcast copy; null at <see cref="Driving"/>). In a hash exchange the driving
/// relation and the one exchanged with it are tables without rows (their columns, for planning).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlStage")]
public sealed record SqlStage(
    [property: Id(0)] string Query,
    [property: Id(1)] int MaxRows,
    [property: Id(2)] int Driving,
    [property: Id(3)] IReadOnlyList<SqlTable?> Tables)
{
    /// <summary>The hash exchange the stage runs in, or null when the partitions run it on their own rows.</summary>
    [Id(4)]
    public SqlExchange? Exchange { get; init; }
}

/// <summary>
/// A hash exchange through the store: rows are written under <see cref="Folder"/> split into
/// <see cref="Buckets"/> buckets by a hash of the join keys (the driving relation and
/// <see cref="Relation"/>) or of the group keys of partial aggregates (<see cref="Relation"/> -1).
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlExchange")]
public sealed record SqlExchange(
    [property: Id(0)] string Folder,
    [property: Id(1)] int Relation,
    [property: Id(2)] int Buckets)
{
    /// <summary>The relation number under which the partial aggregates of an exchange by group are written.</summary>
    public const int Groups = -1;

    /// <summary>Where partition <paramref name="partition"/> writes its rows of <paramref name="relation"/> in <paramref name="bucket"/>.</summary>
    public string File(int relation, int bucket, int partition) =>
        $"{Folder}{(relation == Groups ? "groups" : $"r{relation}")}/{bucket:D5}/{partition:D5}.parquet";
}

/// <summary>One bucket of a hash exchange: the stage, the bucket's number, and the files of the bucket's rows of the driving relation (or partial aggregates) and of the relation exchanged with it.</summary>
[GenerateSerializer, Immutable, Alias("orleansml.SqlBucket")]
public sealed record SqlBucket(
    [property: Id(0)] SqlStage Stage,
    [property: Id(1)] int Number,
    [property: Id(2)] IReadOnlyList<string> DrivingFiles,
    [property: Id(3)] IReadOnlyList<string> RelationFiles);
