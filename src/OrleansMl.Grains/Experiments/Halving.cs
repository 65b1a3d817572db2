using System.Globalization;

namespace OrleansMl.Experiments;

/// <summary>
/// Successive halving: round 0 runs MaxRuns random configurations with a small budget of one
/// resource parameter (<c>halving_resource</c>, default max_iterations, starting at
/// <c>halving_min</c>, default 10); each later round keeps the best 1/η (<c>halving_eta</c>,
/// default 3) of the previous round's configurations by the experiment's metric and runs them again
/// with η times the budget, until one configuration is left.
/// </summary>
public sealed record Halving(string Resource, double Min, int Eta)
{
    public const string Prefix = "halving_";

    public static Halving Of(ExperimentSpec spec)
    {
        var parameters = spec.Params ?? new Dictionary<string, string>();
        var resource = parameters.GetValueOrDefault("halving_resource", "max_iterations");
        var min = double.TryParse(parameters.GetValueOrDefault("halving_min", "10"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0
            ? m : throw FieldError.Invalid("params.halving_min must be a number > 0.", "params.halving_min");
        var eta = int.TryParse(parameters.GetValueOrDefault("halving_eta", "3"), NumberStyles.None, CultureInfo.InvariantCulture, out var e) && e >= 2
            ? e : throw FieldError.Invalid("params.halving_eta must be a whole number ≥ 2.", "params.halving_eta");
        return new Halving(resource, min, eta);
    }

    /// <summary>The resource budget of a round, as the parameter's text (whole numbers stay whole).</summary>
    public string Budget(int round)
    {
        var budget = Min * Math.Pow(Eta, round);
        return budget == Math.Floor(budget) ? ((long)budget).ToString(CultureInfo.InvariantCulture) : budget.ToString("G6", CultureInfo.InvariantCulture);
    }

    /// <summary>How many of a round's configurations go on.</summary>
    public int Survivors(int runs) => (runs + Eta - 1) / Eta;
}
