using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// The median stopping rule (Google Vizier's): after each epoch a run reports the experiment's metric on its
/// held-out rows; once it has run <c>params.stop_grace</c> epochs (2) and at least <c>params.stop_min_runs</c>
/// other runs (3) have reached that epoch, it stops when its best value so far is worse than the median of
/// the others' running averages over the same epochs. Parameters with the prefix <c>stop_</c> belong to the
/// experiment, not the trainer; <c>params.stop_rule</c> is <c>none</c> (default) or <c>median</c>.
/// </summary>
public sealed class MedianStopping
{
    public const string Prefix = "stop_";

    private readonly Dictionary<int, List<double>> _values = [];

    private MedianStopping(string metric, bool maximize, int grace, int minRuns)
    {
        Metric = metric;
        Maximize = maximize;
        Grace = grace;
        MinRuns = minRuns;
    }

    public string Metric { get; }

    public bool Maximize { get; }

    public int Grace { get; }

    public int MinRuns { get; }

    /// <summary>The rule an experiment's parameters ask for, or null for none.</summary>
    /// <exception cref="ArgumentException">A <c>stop_</c> parameter is not valid; the message names it.</exception>
    public static MedianStopping? For(IReadOnlyDictionary<string, string>? parameters, string metric)
    {
        var rule = parameters?.GetValueOrDefault("stop_rule") ?? "none";
        if (rule is not ("none" or "median"))
        {
            throw FieldError.Invalid($"params.stop_rule must be none or median; got '{rule}'.", "params.stop_rule");
        }

        return rule == "none" ? null : new MedianStopping(metric, MetricNames.Maximize(metric), Whole(parameters!, "stop_grace", 2, 1), Whole(parameters!, "stop_min_runs", 3, 1));
    }

    /// <summary>Records run <paramref name="run"/>'s value after epoch <paramref name="epoch"/> (1-based); answers why it should stop, or null to go on.</summary>
    public string? Report(int run, int epoch, double value)
    {
        if (!_values.TryGetValue(run, out var mine))
        {
            _values[run] = mine = [];
        }

        // An epoch reported again (a run started again) replaces what its earlier attempt said.
        if (epoch < 1 || epoch > mine.Count + 1)
        {
            return null;
        }

        if (epoch <= mine.Count)
        {
            mine.RemoveRange(epoch - 1, mine.Count - epoch + 1);
        }

        mine.Add(value);
        if (epoch < Grace || double.IsNaN(value))
        {
            return null;
        }

        var averages = new List<double>();
        foreach (var (other, values) in _values)
        {
            if (other != run && values.Count >= epoch)
            {
                averages.Add(values.Take(epoch).Average());
            }
        }

        if (averages.Count < MinRuns)
        {
            return null;
        }

        averages.Sort();
        var median = averages.Count % 2 == 1 ? averages[averages.Count / 2] : (averages[(averages.Count / 2) - 1] + averages[averages.Count / 2]) / 2;
        var best = Maximize ? mine.Max() : mine.Min();
        var worse = Maximize ? best < median : best > median;
        return worse
            ? string.Create(CultureInfo.InvariantCulture, $"median stopping rule after epoch {epoch}: the best {Metric} so far, {best:G4}, is worse than {median:G4}, the median of {averages.Count} other runs' average {Metric} over their first {epoch} epochs")
            : null;
    }

    private static int Whole(IReadOnlyDictionary<string, string> parameters, string name, int fallback, int min) =>
        !parameters.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= 10_000 ? value
        : throw FieldError.Invalid($"params.{name} must be a whole number from {min} to 10000; got '{text}'.", $"params.{name}");
}
