using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al., 2011, as hyperopt and Optuna use it), univariate: the finished
/// trials are split into the best γ (<see cref="Gamma"/>) and the rest by the experiment's metric; for each parameter a
/// Parzen density of the good values, l(x), and of the rest, g(x), is built (Gaussians on the values, in log space for a
/// log range, with a prior over the whole range; counts with a prior of one for a list of values), candidates are drawn
/// from l, and the one with the largest l(x)/g(x) is proposed. Until <see cref="Startup"/> trials have finished it
/// samples at random, as the random strategy does. A proposal depends only on the spec, the trial's index and the
/// finished trials it sees.
/// </summary>
public static class Tpe
{
    /// <summary>Parameters of the strategy itself (<c>tpe_startup</c>), not passed to the trainer.</summary>
    public const string Prefix = "tpe_";

    /// <summary>The share of finished trials that counts as good.</summary>
    public const double Gamma = 0.25;

    /// <summary>Candidates drawn from l(x) for each parameter.</summary>
    public const int Candidates = 24;

    /// <summary>Random trials before the estimator has something to go on: <c>params.tpe_startup</c>, default 8 (at least 2).</summary>
    public static int Startup(ExperimentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = spec.Params?.GetValueOrDefault("tpe_startup");
        return text is null ? 8
            : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var startup) && startup >= 2 ? startup
            : throw FieldError.Invalid("params.tpe_startup must be a whole number ≥ 2.", "params.tpe_startup");
    }

    /// <summary>
    /// The parameters of trial <paramref name="index"/>, from the finished trials' parameters and scores
    /// (<paramref name="observed"/>; higher is better when <paramref name="maximize"/>).
    /// </summary>
    public static Dictionary<string, string> Suggest(
        IReadOnlyDictionary<string, ParamRange> space, IReadOnlyList<(IReadOnlyDictionary<string, string> Params, double Score)> observed,
        bool maximize, long seed, int index)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(observed);
        var ordered = (maximize ? observed.OrderByDescending(o => o.Score) : observed.OrderBy(o => o.Score)).ToList();
        var goodCount = Math.Max(1, (int)Math.Ceiling(Gamma * ordered.Count));
        var random = SearchSpace.Generator(seed, index);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in space.Keys.Order(StringComparer.Ordinal))
        {
            var range = space[name];
            var good = ordered.Take(goodCount).Select(o => o.Params.GetValueOrDefault(name)).OfType<string>().ToList();
            var bad = ordered.Skip(goodCount).Select(o => o.Params.GetValueOrDefault(name)).OfType<string>().ToList();
            result[name] = range.Values is { Count: > 0 } values
                ? SuggestValue(values, good, bad, random)
                : SuggestNumber(range, good, bad, random);
        }

        return result;
    }

    private static string SuggestValue(IReadOnlyList<string> values, List<string> good, List<string> bad, Random random)
    {
        // Counts with a prior of one per value: every value keeps a chance.
        double Weight(List<string> seen, string value) => (seen.Count(s => s == value) + 1.0) / (seen.Count + values.Count);
        var best = values[0];
        var bestRatio = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            // Draw from l: a value with probability proportional to its weight among the good.
            var u = random.NextDouble();
            var candidate = values[^1];
            foreach (var value in values)
            {
                u -= Weight(good, value);
                if (u <= 0)
                {
                    candidate = value;
                    break;
                }
            }

            var ratio = Weight(good, candidate) / Weight(bad, candidate);
            if (ratio > bestRatio)
            {
                (best, bestRatio) = (candidate, ratio);
            }
        }

        return best;
    }

    private static string SuggestNumber(ParamRange range, List<string> good, List<string> bad, Random random)
    {
        var (low, high) = (Scale(range, range.Min!.Value), Scale(range, range.Max!.Value));
        double[] Points(List<string> seen) =>
            [.. seen.Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Scale(range, Math.Clamp(v, range.Min!.Value, range.Max!.Value)) : double.NaN)
                .Where(double.IsFinite)];
        var l = new Parzen(Points(good), low, high);
        var g = new Parzen(Points(bad), low, high);
        var best = l.Sample(random);
        var bestRatio = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            var candidate = l.Sample(random);
            var ratio = l.LogDensity(candidate) - g.LogDensity(candidate);
            if (ratio > bestRatio)
            {
                (best, bestRatio) = (candidate, ratio);
            }
        }

        var value = range.Log ? Math.Exp(best) : best;
        value = Math.Clamp(value, range.Min!.Value, range.Max!.Value);
        return range.Integer ? Math.Round(value).ToString(CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);
    }

    private static double Scale(ParamRange range, double value) => range.Log ? Math.Log(value) : value;

    /// <summary>
    /// A mixture of Gaussians truncated to [low, high]: one on each point, with a width of the larger gap to its
    /// neighbours (hyperopt's rule, kept between the range / 100 and the range), and a prior on the middle of the range
    /// as wide as the range.
    /// </summary>
    private sealed class Parzen
    {
        private readonly double[] _means;
        private readonly double[] _sigmas;
        private readonly double _low;
        private readonly double _high;

        public Parzen(double[] points, double low, double high)
        {
            (_low, _high) = (low, high);
            var width = Math.Max(high - low, 1e-12);
            var sorted = points.Append((low + high) / 2).Order().ToArray();
            _means = sorted;
            _sigmas = new double[sorted.Length];
            for (var i = 0; i < sorted.Length; i++)
            {
                var left = i > 0 ? sorted[i] - sorted[i - 1] : sorted[i] - low;
                var right = i < sorted.Length - 1 ? sorted[i + 1] - sorted[i] : high - sorted[i];
                _sigmas[i] = Math.Clamp(Math.Max(left, right), width / Math.Min(100.0, sorted.Length + 1), width);
            }

            // The prior is as wide as the range.
            var prior = Array.IndexOf(sorted, (low + high) / 2);
            _sigmas[prior] = width;
        }

        public double Sample(Random random)
        {
            var k = random.Next(_means.Length);
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var x = _means[k] + (_sigmas[k] * Normal(random));
                if (x >= _low && x <= _high)
                {
                    return x;
                }
            }

            return Math.Clamp(_means[k], _low, _high);
        }

        public double LogDensity(double x)
        {
            var sum = 0.0;
            for (var k = 0; k < _means.Length; k++)
            {
                var z = (x - _means[k]) / _sigmas[k];
                var mass = NormalCdf((_high - _means[k]) / _sigmas[k]) - NormalCdf((_low - _means[k]) / _sigmas[k]);
                sum += Math.Exp(-0.5 * z * z) / (_sigmas[k] * Math.Sqrt(2 * Math.PI) * Math.Max(mass, 1e-12));
            }

            return Math.Log(Math.Max(sum / _means.Length, double.Epsilon));
        }

        private static double Normal(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        private static double NormalCdf(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

        /// <summary>Abramowitz and Stegun 7.1.26 (error below 1.5e-7), enough for weights.</summary>
        private static double Erf(double x)
        {
            var sign = Math.Sign(x);
            x = Math.Abs(x);
            var t = 1 / (1 + (0.3275911 * x));
            var y = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
            return sign * y;
        }
    }
}
