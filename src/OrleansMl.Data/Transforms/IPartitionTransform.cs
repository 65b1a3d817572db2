using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>
/// A user-defined transform written in C#, run on every partition by the <c>udf</c> step. Register
/// an implementation in the silo with <c>services.AddPartitionTransform&lt;T&gt;()</c>; it is
/// addressed by <see cref="Name"/>. Implementations must be thread-safe and deterministic (the same
/// input and arguments give the same output), because partitions run in parallel and lineage replays steps.
/// </summary>
public interface IPartitionTransform
{
    /// <summary>The name a <c>udf</c> step uses to call this transform.</summary>
    string Name { get; }

    /// <summary>The output schema for an input schema and the step's arguments; throw <see cref="SchemaException"/> when they do not fit.</summary>
    DatasetSchema GetOutputSchema(DatasetSchema input, IReadOnlyDictionary<string, string> args);

    /// <summary>Transforms one partition's rows. The result must match <see cref="GetOutputSchema"/>.</summary>
    ColumnBatch Apply(ColumnBatch input, IReadOnlyDictionary<string, string> args);
}
