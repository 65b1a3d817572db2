using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// The median stopping rule (Google Vizier's): once a run has run <c>params.stop_grace</c> epochs (2) and at
/// least <c>params.stop_min_runs</c> other runs (3) have reached that epoch, it stops when its best value so far
/// is worse than the median of the others' running averages over the same epochs.
/// </summary>
public sealed class MedianStopping(string metric, int grace, int minRuns) : StoppingRule(metric)
{
    private readonly Dictionary<int, List<double>> _values = [];

    public int Grace { get; } = grace;

    public int MinRuns { get; } = minRuns;

    public override string? Report(int run, int epoch, double value)
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

        var median = Quantile([.. averages], 0.5);
        var best = Maximize ? mine.Max() : mine.Min();
        var worse = Maximize ? best < median : best > median;
        return worse
            ? string.Create(CultureInfo.InvariantCulture, $"median stopping rule after epoch {epoch}: the best {Metric} so far, {Number(best)}, is worse than {Number(median)}, the median of {averages.Count} other runs' average {Metric} over their first {epoch} epochs")
            : null;
    }
}
