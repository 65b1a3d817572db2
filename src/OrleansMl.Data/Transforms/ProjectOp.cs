using OrleansMl.Data.Columns;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Transforms;

/// <summary>select (keep these columns, in this order), drop (remove these) and rename (old → new).</summary>
public sealed class ProjectOp : ITransformOp
{
    private readonly Func<DatasetSchema, (int Source, string Name)[]> _plan;
    private (int Source, string Name)[] _columns = [];
    private DatasetSchema? _output;

    private ProjectOp(Func<DatasetSchema, (int Source, string Name)[]> plan) => _plan = plan;

    public static ProjectOp Select(IReadOnlyList<string> columns) =>
        new(schema => [.. columns.Select(name => (IndexOrThrow(schema, name, "select"), name))]);

    public static ProjectOp Drop(IReadOnlyList<string> columns) => new(schema =>
    {
        var dropped = columns.Select(name => IndexOrThrow(schema, name, "drop")).ToHashSet();
        return [.. Enumerable.Range(0, schema.Count).Where(i => !dropped.Contains(i)).Select(i => (i, schema[i].Name))];
    });

    public static ProjectOp Rename(IReadOnlyDictionary<string, string> names) => new(schema =>
    {
        foreach (var old in names.Keys)
        {
            IndexOrThrow(schema, old, "rename");
        }

        return [.. schema.Columns.Select((c, i) => (i, names.TryGetValue(c.Name, out var renamed) ? renamed : c.Name))];
    });

    public DatasetSchema Bind(DatasetSchema input)
    {
        _columns = _plan(input);
        return _output = new DatasetSchema(_columns.Select(c => input[c.Source] with { Name = c.Name }));
    }

    public ColumnBatch Apply(ColumnBatch input) =>
        new(_output!, [.. _columns.Select((c, i) => input[c.Source].WithSchema(_output![i]))]);

    internal static int IndexOrThrow(DatasetSchema schema, string name, string step) =>
        schema.IndexOf(name) is >= 0 and var index
            ? index
            : throw new SchemaException($"{step}: unknown column '{name}'. Columns: {string.Join(", ", schema.Columns.Select(c => c.Name))}.");
}
