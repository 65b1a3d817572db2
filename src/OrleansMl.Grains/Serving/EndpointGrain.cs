using OrleansMl.Catalog;
using OrleansMl.Datasets;
using OrleansMl.Models;
using Target = (OrleansMl.Serving.EndpointRoute Route, OrleansMl.Models.ModelVersionInfo Version, string Field);

namespace OrleansMl.Serving;

/// <summary>
/// A serving endpoint. An update resolves every target to a registered version, checks that they all
/// take the same inputs, loads each one on every silo (a version that does not load is refused, so a
/// broken model never takes traffic, and no request after the switch waits for a load), tells the registry which versions the endpoint now uses, and then commits the
/// new routes in one state write: a request sees the old routes or the new ones, never a mix.
/// </summary>
[GrainType("orleansml.endpoint")]
public sealed class EndpointGrain(
    [PersistentState("endpoint", GrainStorageNames.Metadata)] IPersistentState<EndpointState> state,
    TimeProvider timeProvider) : Grain, IEndpointGrain
{
    private const int MaxWeight = 1_000_000;

    private string Name => this.GetPrimaryKeyString();

    public Task<byte[]?> ExportStateAsync() => Backups.GrainStateBackup.ExportAsync(this, state);

    public Task RestoreStateAsync(byte[] snapshot) => Backups.GrainStateBackup.RestoreAsync(this, state, snapshot);

    public async Task<EndpointInfo> PreviewAsync(EndpointSpec spec, string by)
    {
        var (resolved, shadow, all) = await CheckAsync(spec);
        var first = all[0].Version;
        return new EndpointInfo(Name, state.State.Revision + 1, [.. resolved.Select(r => r.Route)], shadow.Route, spec.LogSampleRate,
            [.. first.Inputs], [.. first.Outputs], timeProvider.GetUtcNow(), by, all.Any(t => t.Version.Pipeline is not null), first.Pipeline?.Image);
    }

    /// <summary>
    /// The spec's targets and shadow resolved to versions (aliases followed), all of one signature (the first's); a 400
    /// naming the field otherwise. <c>All</c> is the targets and then the shadow, if any.
    /// </summary>
    private async Task<(List<Target> Targets, Target Shadow, List<Target> All)> CheckAsync(EndpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ResourceNames.Validate(Name, "endpoint");
        if (spec.Targets is not { Count: > 0 })
        {
            throw FieldError.Invalid("An endpoint needs at least one target: { model, version or alias, weight }.", "targets");
        }

        if (spec.LogSampleRate is < 0 or > 1 || double.IsNaN(spec.LogSampleRate))
        {
            throw FieldError.Invalid($"logSampleRate is a share of requests from 0 to 1; got {spec.LogSampleRate}.", "logSampleRate");
        }

        var resolved = new List<Target>();
        for (var i = 0; i < spec.Targets.Count; i++)
        {
            resolved.Add(await ResolveAsync(spec.Targets[i], $"targets[{i}]"));
        }

        var shadow = spec.Shadow is null ? default : await ResolveAsync(spec.Shadow, "shadow");
        var all = spec.Shadow is null ? resolved : [.. resolved, shadow];
        var first = all[0];
        foreach (var (route, version, field) in all)
        {
            if (version.Pipeline?.Image != first.Version.Pipeline?.Image)
            {
                throw FieldError.Invalid(
                    $"Model '{route.Model}' version {route.Version} decodes images differently from model '{first.Route.Model}' version {first.Route.Version}: every target of an endpoint takes the same inputs.", field);
            }

            if (!version.Inputs.SequenceEqual(first.Version.Inputs))
            {
                throw FieldError.Invalid(
                    $"Model '{route.Model}' version {route.Version} takes {Describe(version.Inputs)}, but model '{first.Route.Model}' version {first.Route.Version} takes {Describe(first.Version.Inputs)}: every target of an endpoint takes the same inputs.", field);
            }
        }

        return (resolved, shadow, all);
    }

    public async Task<EndpointInfo> SetAsync(EndpointSpec spec, string by)
    {
        var (resolved, shadow, all) = await CheckAsync(spec);
        var first = all[0];
        var silos = (await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.Select(s => s.ToParsableString()).ToArray();
        var loaded = await Task.WhenAll(all.Select(t => LoadEverywhereAsync(t.Route, t.Field, silos)));
        var routes = resolved.Select(r => r.Route).ToList();
        var before = Held(state.State.Routes, state.State.Shadow);
        var after = Held(routes, shadow.Route);
        List<EndpointRoute> both = [.. before, .. after];
        await HoldAsync(both, both); // claim the new before the switch

        var now = timeProvider.GetUtcNow();
        state.State.Revision++;
        state.State.Routes = routes;
        state.State.Shadow = shadow.Route;
        state.State.LogSampleRate = spec.LogSampleRate;
        state.State.Inputs = [.. first.Version.Inputs];
        state.State.Pipeline = all.Any(t => t.Version.Pipeline is not null);
        state.State.Image = first.Version.Pipeline?.Image;
        state.State.Outputs = [.. first.Version.Outputs.Select(c => c.Type == "vector" ? c with { VectorLength = loaded[0].ScoreWidth } : c)];
        state.State.History.Add(new EndpointChange(state.State.Revision, routes, shadow.Route, now, by));
        await WriteStateAsync();
        await HoldAsync(after, both); // release the old after it
        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Endpoints).AddAsync(Name);
        return Info()!;
    }

    public Task<EndpointInfo?> GetAsync() => Task.FromResult(Info());

    public Task<IReadOnlyList<EndpointChange>> GetHistoryAsync() =>
        state.State.History.Count == 0
            ? throw new KeyNotFoundException($"There is no endpoint '{Name}'.")
            : Task.FromResult<IReadOnlyList<EndpointChange>>([.. state.State.History]);

    public async Task DeleteAsync(string by)
    {
        if (state.State.Routes.Count == 0)
        {
            throw new KeyNotFoundException($"There is no endpoint '{Name}'.");
        }

        var before = Held(state.State.Routes, state.State.Shadow);
        state.State.Revision++;
        state.State.Routes = [];
        state.State.Shadow = null;
        state.State.History.Add(new EndpointChange(state.State.Revision, [], null, timeProvider.GetUtcNow(), by));
        await WriteStateAsync();
        await HoldAsync([], before);
        await GrainFactory.GetGrain<ICatalogGrain>(ICatalogGrain.Endpoints).RemoveAsync(Name);
    }

    private async Task<Target> ResolveAsync(EndpointTarget target, string field)
    {
        if (target is null || string.IsNullOrWhiteSpace(target.Model))
        {
            throw FieldError.Invalid("A target names a model.", $"{field}.model");
        }

        if (target.Weight is < 1 or > MaxWeight)
        {
            throw FieldError.Invalid($"A target's weight is a whole number from 1 to {MaxWeight}; got {target.Weight}.", $"{field}.weight");
        }

        var model = await GrainFactory.GetGrain<IModelGrain>(target.Model).GetAsync()
            ?? throw FieldError.Invalid($"There is no model '{target.Model}'.", $"{field}.model");
        var number = (target.Version, target.Alias) switch
        {
            ({ } version, null) => version,
            (null, { } alias) => model.Aliases.TryGetValue(alias, out var aliased)
                ? aliased
                : throw FieldError.Invalid($"Model '{target.Model}' has no alias '{alias}'. Aliases: {string.Join(", ", model.Aliases.Keys)}.", $"{field}.alias"),
            _ => throw FieldError.Invalid("A target gives either a version or an alias.", $"{field}.version"),
        };
        var info = model.Versions.FirstOrDefault(v => v.Version == number)
            ?? throw FieldError.Invalid($"Model '{target.Model}' has no version {number}. Versions: {string.Join(", ", model.Versions.Select(v => v.Version))}.", $"{field}.version");
        return (new EndpointRoute(target.Model, number, target.Weight, info.Flavor), info, field);
    }

    /// <summary>Loads a version on every silo, so no request after the switch waits for a load; returns one silo's view of it.</summary>
    private async Task<PredictorInfo> LoadEverywhereAsync(EndpointRoute route, string field, string[] silos)
    {
        try
        {
            var infos = await Task.WhenAll(silos.Select(s => GrainFactory.GetGrain<IPredictorWarmerGrain>(s).LoadAsync(route.Model, route.Version)));
            return infos[0];
        }
        catch (ModelUnavailableException e)
        {
            throw FieldError.Invalid($"Model '{route.Model}' version {route.Version} cannot serve: {e.Message}", field);
        }
    }

    /// <summary>Writes the state; if that fails, the activation goes, so the next one serves what is stored, not what was not written.</summary>
    private async Task WriteStateAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private static List<EndpointRoute> Held(IEnumerable<EndpointRoute> routes, EndpointRoute? shadow) => [.. routes.Append(shadow).OfType<EndpointRoute>()];

    /// <summary>
    /// Tells every model of <paramref name="models"/> which of its versions this endpoint holds: those of
    /// <paramref name="held"/>. An update claims old and new versions before its state write and
    /// releases the old ones after it, so a failure at any point leaves every version the stored routes
    /// serve claimed (at worst one claimed until the next update), never one served unclaimed.
    /// </summary>
    private Task HoldAsync(IReadOnlyList<EndpointRoute> held, IReadOnlyList<EndpointRoute> models) =>
        Task.WhenAll(models.Select(r => r.Model).Distinct(StringComparer.Ordinal).Select(model =>
            GrainFactory.GetGrain<IModelGrain>(model).SetEndpointUseAsync(Name, [.. held.Where(r => r.Model == model).Select(r => r.Version).Distinct().Order()])));

    private static string Describe(IReadOnlyList<DatasetColumn> columns) =>
        columns.Count == 0 ? "no declared inputs" : string.Join(", ", columns.Select(c => c.VectorLength > 0 ? $"'{c.Name}' ({c.Type}[{c.VectorLength}])" : $"'{c.Name}' ({c.Type})"));

    private EndpointInfo? Info()
    {
        if (state.State.Routes.Count == 0)
        {
            return null;
        }

        var last = state.State.History[^1];
        return new EndpointInfo(Name, state.State.Revision, [.. state.State.Routes], state.State.Shadow, state.State.LogSampleRate,
            [.. state.State.Inputs], [.. state.State.Outputs], last.At, last.By, state.State.Pipeline, state.State.Image);
    }
}
