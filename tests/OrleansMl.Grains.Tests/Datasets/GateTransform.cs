using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;
using OrleansMl.Data.Transforms;

namespace OrleansMl.Grains.Tests.Datasets;

/// <summary>A user-defined transform that passes rows through once its gate is open: holds an operation (or an experiment fitting it) running for as long as a test needs.</summary>
public sealed class GateTransform : IPartitionTransform
{
    private static readonly ManualResetEventSlim Gate = new(initialState: true);

    public string Name => "gate";

    public static void Close() => Gate.Reset();

    public static void Open() => Gate.Set();

    public DatasetSchema GetOutputSchema(DatasetSchema input, IReadOnlyDictionary<string, string> args) => input;

    public ColumnBatch Apply(ColumnBatch input, IReadOnlyDictionary<string, string> args)
    {
        Gate.Wait(TimeSpan.FromMinutes(2));
        return input;
    }
}
