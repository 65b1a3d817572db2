using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// Turns a search space into the parameter sets of an experiment's runs. Grid: the cartesian product
/// in a fixed order (first parameter slowest), cut at MaxRuns. Random: run i draws from a generator
/// seeded by (seed, i), so a run's parameters depend only on the spec, never on scheduling. Tpe: the
/// first runs as random, the others proposed from the finished ones as slots free up (<see cref="Tpe"/>).
/// </summary>
public static class SearchSpace
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Plan(ExperimentSpec spec)
    {
        var space = spec.SearchSpace ?? new Dictionary<string, ParamRange>();
        var fixedParams = spec.Params ?? new Dictionary<string, string>();
        var names = space.Keys.Order(StringComparer.Ordinal).ToArray();
        return spec.Strategy switch
        {
            "grid" => [.. Grid(names, space).Take(spec.MaxRuns).Select(p => Merge(fixedParams, p))],
            // asha samples as random does; its rule (AshaStopping) stops the runs that fall behind at each rung.
            "random" or "asha" => [.. Enumerable.Range(0, spec.MaxRuns).Select(i => Merge(fixedParams, Sample(names, space, spec.Seed, i)))],
            "halving" => [.. Enumerable.Range(0, spec.MaxRuns).Select(i =>
            {
                var first = Merge(fixedParams, Sample(names, space, spec.Seed, i));
                first[Halving.Of(spec).Resource] = Halving.Of(spec).Budget(0);
                return first;
            })],
            // Model-based: the random start-up trials now; each later one when a slot is free (NextTpe).
            "tpe" => [.. Enumerable.Range(0, Math.Min(spec.MaxRuns, Tpe.Startup(spec))).Select(i => Merge(fixedParams, Sample(names, space, spec.Seed, i)))],
            _ => throw FieldError.Invalid($"strategy must be grid, random, halving, tpe or asha; got '{spec.Strategy}'.", "strategy"),
        };
    }

    /// <summary>
    /// The parameters of tpe trial <paramref name="index"/>: proposed by <see cref="Tpe"/> from the finished trials
    /// (<paramref name="observed"/>, their scores by the experiment's metric), at random while fewer than two have finished.
    /// </summary>
    public static Dictionary<string, string> NextTpe(
        ExperimentSpec spec, int index, IReadOnlyList<(IReadOnlyDictionary<string, string> Params, double Score)> observed, bool maximize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(observed);
        var space = spec.SearchSpace ?? new Dictionary<string, ParamRange>();
        var sampled = observed.Count < 2
            ? Sample([.. space.Keys.Order(StringComparer.Ordinal)], space, spec.Seed, index)
            : Tpe.Suggest(space, observed, maximize, spec.Seed, index);
        return Merge(spec.Params ?? new Dictionary<string, string>(), sampled);
    }

    /// <summary>Checks a range; the message names the parameter.</summary>
    public static void Validate(string name, ParamRange range)
    {
        var field = $"searchSpace.{name}";
        if (range.Values is { Count: > 0 })
        {
            return;
        }

        if (range.Min is not { } min || range.Max is not { } max || !double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw FieldError.Invalid($"{field} needs 'values', or finite 'min' ≤ 'max'.", field);
        }

        if (range.Log && min <= 0)
        {
            throw FieldError.Invalid($"{field}: a log range needs min > 0.", field);
        }

        if (range.GridPoints is < 1 or > 1000)
        {
            throw FieldError.Invalid($"{field}: gridPoints must be between 1 and 1000.", field);
        }
    }

    private static IEnumerable<Dictionary<string, string>> Grid(string[] names, IReadOnlyDictionary<string, ParamRange> space)
    {
        IEnumerable<Dictionary<string, string>> combinations = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var name in names)
        {
            var values = GridValues(space[name]);
            combinations = combinations.SelectMany(c => values.Select(v => new Dictionary<string, string>(c, StringComparer.Ordinal) { [name] = v }));
        }

        return combinations;
    }

    private static IReadOnlyList<string> GridValues(ParamRange range)
    {
        if (range.Values is { Count: > 0 } values)
        {
            return values;
        }

        var points = range.GridPoints;
        return [.. Enumerable.Range(0, points).Select(i =>
        {
            var t = points == 1 ? 0.5 : i / (double)(points - 1);
            return Format(range, range.Log
                ? Math.Exp(Math.Log(range.Min!.Value) + (t * (Math.Log(range.Max!.Value) - Math.Log(range.Min.Value))))
                : range.Min!.Value + (t * (range.Max!.Value - range.Min.Value)));
        }).Distinct()];
    }

    private static Dictionary<string, string> Sample(string[] names, IReadOnlyDictionary<string, ParamRange> space, long seed, int index)
    {
        var random = Generator(seed, index);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var range = space[name];
            result[name] = range.Values is { Count: > 0 } values
                ? values[random.Next(values.Count)]
                : Format(range, range.Log
                    ? Math.Exp(Math.Log(range.Min!.Value) + (random.NextDouble() * (Math.Log(range.Max!.Value) - Math.Log(range.Min.Value))))
                    : range.Min!.Value + (random.NextDouble() * (range.Max!.Value - range.Min.Value)));
        }

        return result;
    }

    /// <summary>Run <paramref name="index"/>'s random generator: seeded by (seed, index), stable across processes, unlike HashCode.</summary>
    internal static Random Generator(long seed, int index) => new((int)(Data.Transforms.RowHash.Key(seed, index) & int.MaxValue));

    private static string Format(ParamRange range, double value) =>
        range.Integer ? Math.Round(value).ToString(CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> fixedParams, Dictionary<string, string> sampled)
    {
        // The strategies' own settings are not the trainer's.
        var merged = fixedParams.Where(p => !p.Key.StartsWith(Halving.Prefix, StringComparison.Ordinal) && !p.Key.StartsWith(Tpe.Prefix, StringComparison.Ordinal)
                && !p.Key.StartsWith(StoppingRule.Prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, value) in sampled)
        {
            merged[name] = value;
        }

        return merged;
    }
}
