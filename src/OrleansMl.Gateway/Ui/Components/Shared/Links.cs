namespace OrleansMl.Gateway.Ui.Components.Shared;

/// <summary>The UI's stable addresses (relative to the site's root), each part escaped: links a person can paste into a chat.</summary>
public static class Links
{
    public static string Experiment(string name) => $"experiments/{Uri.EscapeDataString(name)}";

    public static string Run(string experiment, int index) => $"{Experiment(experiment)}/runs/{index}";

    public static string Compare(string experiment, IEnumerable<int> runs) =>
        $"{Experiment(experiment)}/compare?{string.Join('&', runs.Select(r => $"runs={r}"))}";

    public static string Dataset(string name, int? version = null) =>
        $"datasets/{Uri.EscapeDataString(name)}" + (version is { } v ? $"?version={v.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : "");

    public static string Model(string name) => $"models/{Uri.EscapeDataString(name)}";

    public static string Endpoint(string name) => $"endpoints/{Uri.EscapeDataString(name)}";

    /// <summary>The experiment's watch stream for the page's live updates (server-sent events, the session's cookie).</summary>
    public static string Watch(string experiment) => $"ui/watch/experiments/{Uri.EscapeDataString(experiment)}";
}
