using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020), in the stopping form Ray Tune's ASHAScheduler uses:
/// rungs at <c>params.stop_grace</c>·η^k epochs (1, 3, 9, … with η = <c>params.stop_eta</c>, 3). A run reaching
/// a rung goes on (is promoted) only when its value is in the top 1/η of the values every other run reported
/// at that rung so far; otherwise it stops there and its slot goes to a new run at once. No rung waits for
/// its slowest run, and a promoted run never starts again: it trains on from where it is. The first runs at a
/// rung meet a lenient bar (there is little to compare with), as in ASHA.
/// </summary>
public sealed class AshaStopping(string metric, int grace, int eta) : StoppingRule(metric)
{
    /// <summary>Per rung, each run's value there (a run reporting a rung again, started again, replaces its value).</summary>
    private readonly Dictionary<int, Dictionary<int, double>> _rungs = [];

    public int Grace { get; } = grace;

    public int Eta { get; } = eta;

    /// <summary>The rung epoch <paramref name="epoch"/> ends, or -1 when it is not a rung's epoch.</summary>
    public int RungOf(int epoch)
    {
        var rung = 0;
        for (long milestone = Grace; milestone <= epoch; milestone *= Eta, rung++)
        {
            if (milestone == epoch)
            {
                return rung;
            }
        }

        return -1;
    }

    public override string? Report(int run, int epoch, double value)
    {
        var rung = RungOf(epoch);
        if (rung < 0)
        {
            return null;
        }

        if (!_rungs.TryGetValue(rung, out var values))
        {
            _rungs[rung] = values = [];
        }

        var others = values.Where(v => v.Key != run && !double.IsNaN(v.Value)).Select(v => v.Value).ToArray();
        values[run] = value;
        if (others.Length == 0)
        {
            return null;
        }

        // The top 1/η: at least the (1 - 1/η) quantile of the others' values (linear interpolation), at most the 1/η quantile of errors.
        var cutoff = Quantile(others, Maximize ? 1 - (1.0 / Eta) : 1.0 / Eta);
        var stop = double.IsNaN(value) || (Maximize ? value < cutoff : value > cutoff);
        return stop
            ? string.Create(CultureInfo.InvariantCulture, $"ASHA at rung {rung} (epoch {epoch}): {Metric} {Number(value)} is not in the top 1/{Eta} of the {others.Length} other runs that reached epoch {epoch} (cutoff {Number(cutoff)})")
            : null;
    }
}
