using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace OrleansMl.Backups;

/// <summary>What every <see cref="IRestorableGrain"/> does with its one persistent state.</summary>
internal static class GrainStateBackup
{
    public static Task<byte[]?> ExportAsync<T>(Grain grain, IPersistentState<T> state) =>
        Task.FromResult(state.RecordExists ? grain.GrainContext.ActivationServices.GetRequiredService<Serializer>().SerializeToArray(state.State) : null);

    public static async Task RestoreAsync<T>(Grain grain, IPersistentState<T> state, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var serializer = grain.GrainContext.ActivationServices.GetRequiredService<Serializer>();
        if (state.RecordExists && serializer.SerializeToArray(state.State).AsSpan().SequenceEqual(bytes))
        {
            return; // a restore repeated after it stopped half-way
        }

        if (state.RecordExists)
        {
            throw new ResourceConflictException($"'{grain.GetPrimaryKeyString()}' exists already; a restore never overwrites.");
        }

        state.State = serializer.Deserialize<T>(bytes)!;
        await state.WriteStateAsync();
        grain.DeactivateOnIdle(); // the next activation recovers from the restored state, as after a restart
    }
}
