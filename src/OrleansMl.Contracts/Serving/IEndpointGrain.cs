using Orleans.Concurrency;

namespace OrleansMl.Serving;

/// <summary>
/// A serving endpoint (key: its name): the model versions it routes to, with traffic weights and an
/// optional shadow. An update is one state write, so every request sees either the old routes or the
/// new ones; the new versions are loaded before the update commits.
/// </summary>
[Alias("orleansml.IEndpointGrain")]
public interface IEndpointGrain : IGrainWithStringKey, Backups.IRestorableGrain
{
    /// <summary>Creates the endpoint or replaces what it serves.</summary>
    /// <exception cref="ArgumentException">A target is unknown, or the targets' signatures differ; the message names the field.</exception>
    [Alias("SetAsync")]
    Task<EndpointInfo> SetAsync(EndpointSpec spec, string by);

    /// <summary>
    /// What <see cref="SetAsync"/> would make of <paramref name="spec"/>, checked the same way (targets resolved, aliases
    /// to their versions, one signature) but neither loaded nor committed: the next revision as it would serve.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="SetAsync"/>.</exception>
    [Alias("PreviewAsync"), AlwaysInterleave]
    Task<EndpointInfo> PreviewAsync(EndpointSpec spec, string by);

    /// <summary>What the endpoint serves now; the gateway reads this to route requests.</summary>
    [Alias("GetAsync"), AlwaysInterleave]
    Task<EndpointInfo?> GetAsync();

    /// <summary>Every revision, oldest first, the deletion included.</summary>
    [Alias("GetHistoryAsync"), AlwaysInterleave]
    Task<IReadOnlyList<EndpointChange>> GetHistoryAsync();

    /// <summary>Deletes the endpoint, releasing its model versions.</summary>
    [Alias("DeleteAsync")]
    Task DeleteAsync(string by);
}
