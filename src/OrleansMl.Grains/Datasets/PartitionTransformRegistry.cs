using OrleansMl.Data.Transforms;

namespace OrleansMl.Datasets;

/// <summary>The <see cref="IPartitionTransform"/>s registered in this silo, by name.</summary>
public sealed class PartitionTransformRegistry(IEnumerable<IPartitionTransform> transforms)
{
    private readonly Dictionary<string, IPartitionTransform> _byName = transforms.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IPartitionTransform Get(string name) =>
        _byName.TryGetValue(name, out var transform)
            ? transform
            : throw new ArgumentException($"udf: no transform named '{name}' is registered in the silo. Registered: {(_byName.Count == 0 ? "none" : string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal)))}.");
}
