using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>
/// One executable transform step. <see cref="Bind"/> checks the step against its input schema
/// (unknown columns, wrong types) and returns the output schema, so a whole pipeline fails before
/// any partition does work; <see cref="Apply"/> then runs on each partition's batch.
/// </summary>
public interface ITransformOp
{
    /// <summary>Validates the step against the input schema and returns the output schema.</summary>
    /// <exception cref="SchemaException">The step does not fit the schema; the message says why.</exception>
    DatasetSchema Bind(DatasetSchema input);

    /// <summary>Applies the step to a batch whose schema is the one passed to <see cref="Bind"/>.</summary>
    ColumnBatch Apply(ColumnBatch input);
}
