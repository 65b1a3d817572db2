using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// An experiment's rule for stopping runs early: after each epoch a run reports the experiment's metric on its
/// held-out rows and the rule answers why it should stop, or null to go on. Parameters with the prefix
/// <c>stop_</c> belong to the experiment, not the trainer: <c>params.stop_rule</c> is <c>none</c> (default),
/// <c>median</c> (<see cref="MedianStopping"/>) or <c>asha</c> (<see cref="AshaStopping"/>; the strategy
/// <c>asha</c> is random sampling with this rule).
/// </summary>
public abstract class StoppingRule
{
    public const string Prefix = "stop_";

    protected StoppingRule(string metric)
    {
        Metric = metric;
        Maximize = MetricNames.Maximize(metric);
    }

    public string Metric { get; }

    public bool Maximize { get; }

    /// <summary>Records run <paramref name="run"/>'s value after epoch <paramref name="epoch"/> (1-based); answers why it should stop, or null to go on.</summary>
    public abstract string? Report(int run, int epoch, double value);

    /// <summary>The rule an experiment asks for, or null for none.</summary>
    /// <exception cref="ArgumentException">A <c>stop_</c> parameter is not valid; the message names it.</exception>
    public static StoppingRule? For(string strategy, IReadOnlyDictionary<string, string>? parameters, string metric)
    {
        parameters ??= new Dictionary<string, string>();
        var asked = parameters.GetValueOrDefault("stop_rule");
        if (strategy == "asha" && asked is not (null or "asha"))
        {
            throw FieldError.Invalid($"strategy asha stops runs by its own rule; leave params.stop_rule out (got '{asked}').", "params.stop_rule");
        }

        var rule = strategy == "asha" ? "asha" : asked ?? "none";
        return rule switch
        {
            "none" => null,
            "median" => new MedianStopping(metric, Whole(parameters, "stop_grace", 2, 1), Whole(parameters, "stop_min_runs", 3, 1)),
            "asha" => new AshaStopping(metric, Whole(parameters, "stop_grace", 1, 1), Whole(parameters, "stop_eta", 3, 2)),
            _ => throw FieldError.Invalid($"params.stop_rule must be none, median or asha; got '{rule}'.", "params.stop_rule"),
        };
    }

    /// <summary>The <paramref name="q"/> quantile by linear interpolation between order statistics (numpy's default).</summary>
    internal static double Quantile(double[] values, double q)
    {
        Array.Sort(values);
        var position = q * (values.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, values.Length - 1);
        return values[low] + ((position - low) * (values[high] - values[low]));
    }

    protected static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static int Whole(IReadOnlyDictionary<string, string> parameters, string name, int fallback, int min) =>
        !parameters.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= 10_000 ? value
        : throw FieldError.Invalid($"params.{name} must be a whole number from {min} to 10000; got '{text}'.", $"params.{name}");
}
