namespace OrleansMl.Gateway.Ui.Components.Shared;

/// <summary>The UI's stable addresses (relative to the site's root), each part escaped: links a person can paste into a chat.</summary>
public static class Links
{
    public static string Experiment(string name) => $"experiments/{Uri.EscapeDataString(name)}";

    public static string Run(string experiment, int index) => $"{Experiment(experiment)}/runs/{index}";

    public static string Compare(string experiment, IEnumerable<int> runs) =>
        $"{Experiment(experiment)}/compare?{string.Join('&', runs.Select(r => $"runs={r}"))}";

    /// <summary>The experiment's watch stream for the page's live updates (server-sent events, the session's cookie).</summary>
    public static string Watch(string experiment) => $"ui/watch/experiments/{Uri.EscapeDataString(experiment)}";
}
