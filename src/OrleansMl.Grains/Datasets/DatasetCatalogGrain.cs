namespace OrleansMl.Datasets;

[GrainType("orleansml.dataset-catalog")]
public sealed class DatasetCatalogGrain(
    [PersistentState("catalog", GrainStorageNames.Metadata)] IPersistentState<DatasetCatalogState> state) : Grain, IDatasetCatalogGrain
{
    public async Task AddAsync(string dataset)
    {
        if (state.State.Names.Add(dataset))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Names.Order(StringComparer.Ordinal)]);
}
