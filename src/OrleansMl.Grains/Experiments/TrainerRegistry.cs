namespace OrleansMl.Experiments;

/// <summary>The trainers registered in this silo, by name.</summary>
public sealed class TrainerRegistry(IEnumerable<IRunTrainer> trainers)
{
    private readonly Dictionary<string, IRunTrainer> _byName = trainers.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public IRunTrainer Get(string name) =>
        _byName.TryGetValue(name, out var trainer)
            ? trainer
            : throw FieldError.Invalid($"trainer '{name}' is not registered. Trainers: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))}.", "trainer");
}
