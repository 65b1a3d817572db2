namespace OrleansMl.Catalog;

[GrainType("orleansml.catalog")]
public sealed class CatalogGrain(
    [PersistentState("catalog", GrainStorageNames.Metadata)] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    public async Task AddAsync(string name)
    {
        if (state.State.Names.Add(name))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string name)
    {
        if (state.State.Names.Remove(name))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Names.Order(StringComparer.Ordinal)]);
}
