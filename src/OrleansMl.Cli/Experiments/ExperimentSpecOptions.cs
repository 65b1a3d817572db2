using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using OrleansMl.Client;

namespace OrleansMl.Cli.Experiments;

/// <summary>The options that make an <see cref="ExperimentSpec"/>, shared by <c>experiment create</c> and <c>experiment run</c>.</summary>
internal sealed class ExperimentSpecOptions
{
    private readonly Option<DatasetRef> _dataset = new("--dataset")
    {
        Description = "The training dataset: NAME or NAME:VERSION (default: its latest version, then pinned).",
        Required = true,
        CustomParser = ParseDatasetRef,
    };

    private readonly Option<DatasetRef?> _eval = new("--eval")
    {
        Description = "A held-out dataset NAME[:VERSION]; without it --test-fraction of the training rows are held out.",
        CustomParser = ParseDatasetRef,
    };

    private readonly Option<string> _label = new("--label") { Description = "The label column.", DefaultValueFactory = _ => "label" };
    private readonly Option<string> _features = new("--features") { Description = "The feature vector column.", DefaultValueFactory = _ => "features" };
    private readonly Option<string> _task = new("--task") { Description = "multiclass, binary or regression.", DefaultValueFactory = _ => "multiclass" };
    private readonly Option<string> _trainer = new("--trainer")
    {
        Description = "knn, logistic_regression, linear_svm, linear_regression, tree_ensemble, mlnet or torch (see docs/api.md).",
        Required = true,
    };

    private readonly Option<Dictionary<string, string>> _params = new("--param")
    {
        Description = "A fixed hyperparameter NAME=VALUE (repeat for more), e.g. --param distance=cosine.",
        CustomParser = ParseParams,
        DefaultValueFactory = _ => [],
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<Dictionary<string, ParamRange>> _search = new("--search")
    {
        Description = "A hyperparameter to search (repeat for more): NAME=V1,V2,… or NAME=MIN..MAX[:log][:int], e.g. --search k=1,3,5.",
        CustomParser = ParseSearch,
        DefaultValueFactory = _ => [],
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string?> _strategy = new("--strategy") { Description = "grid, random, halving, tpe or asha (default: grid when every --search lists values, else random)." };
    private readonly Option<int?> _maxRuns = new("--max-runs") { Description = "At most this many runs (default: the grid's size, or 10 with a range; 1 without --search)." };
    private readonly Option<int?> _maxConcurrentRuns = new("--max-concurrent-runs") { Description = "Runs trained at once (default 2)." };
    private readonly Option<string?> _metric = new("--metric") { Description = "The metric that ranks runs (default: accuracy, or rmse for regression)." };
    private readonly Option<double?> _testFraction = new("--test-fraction") { Description = "The share of training rows held out without --eval (default 0.2)." };
    private readonly Option<long?> _seed = new("--seed") { Description = "The seed of splits and random search (default 42)." };
    private readonly Option<double?> _timeBudget = new("--time-budget") { Description = "Seconds after which no new run starts." };
    private readonly Option<double?> _target = new("--target") { Description = "Stop starting runs once one reaches this metric value." };
    private readonly Option<string?> _steps = new("--steps")
    {
        Description = """Feature steps from the raw columns to --features, fitted on the training rows only and kept with every model: JSON (an array) or @FILE. See docs/pipelines.md.""",
    };

    public ExperimentSpecOptions()
    {
        _strategy.AcceptOnlyFromAmong("grid", "random", "halving", "tpe", "asha");
        _task.AcceptOnlyFromAmong("multiclass", "binary", "regression");
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _dataset, _eval, _label, _features, _task, _trainer, _params, _search, _strategy, _maxRuns, _maxConcurrentRuns, _metric, _testFraction, _seed, _timeBudget, _target, _steps })
        {
            command.Options.Add(option);
        }
    }

    public ExperimentSpec Build(CliInvocation run)
    {
        var search = run.Get(_search)!;
        var allValues = search.Values.All(r => r.Values is not null);
        var strategy = run.Get(_strategy) ?? (search.Count > 0 && allValues ? "grid" : "random");
        var maxRuns = run.Get(_maxRuns) ?? DefaultMaxRuns(search, allValues);
        return new ExperimentSpec(
            run.Get(_dataset)!,
            run.Get(_label)!,
            run.Get(_features)!,
            run.Get(_task)!,
            run.Get(_trainer)!,
            Eval: run.Get(_eval),
            TestFraction: run.Get(_testFraction) ?? 0.2,
            SearchSpace: search.Count > 0 ? search : null,
            Params: run.Get(_params) is { Count: > 0 } fixedParams ? fixedParams : null,
            Strategy: strategy,
            MaxRuns: maxRuns,
            MaxConcurrentRuns: run.Get(_maxConcurrentRuns) ?? 2,
            Seed: run.Get(_seed) ?? 42,
            Metric: run.Get(_metric),
            TimeBudgetSeconds: run.Get(_timeBudget),
            Target: run.Get(_target),
            Steps: run.Get(_steps) is { } steps ? Datasets.DatasetTransformCommand.ReadSteps(steps) : null);
    }

    private static int DefaultMaxRuns(Dictionary<string, ParamRange> search, bool allValues)
    {
        if (search.Count == 0)
        {
            return 1;
        }

        return allValues ? (int)Math.Min(1000, search.Values.Aggregate(1L, (product, range) => product * range.Values!.Count)) : 10;
    }

    private static DatasetRef? ParseDatasetRef(ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return new DatasetRef(text);
        }

        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return new DatasetRef(text[..colon], version);
        }

        result.AddError($"'{text}' is not NAME or NAME:VERSION (a version is a whole number).");
        return null;
    }

    private static Dictionary<string, string> ParseParams(ArgumentResult result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            if (Split(token.Value) is not var (name, value))
            {
                result.AddError($"--param '{token.Value}' is not NAME=VALUE.");
                continue;
            }

            values[name] = value;
        }

        return values;
    }

    private static Dictionary<string, ParamRange> ParseSearch(ArgumentResult result)
    {
        var ranges = new Dictionary<string, ParamRange>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            if (Split(token.Value) is not var (name, value))
            {
                result.AddError($"--search '{token.Value}' is not NAME=V1,V2,… or NAME=MIN..MAX[:log][:int].");
                continue;
            }

            if (ParseRange(value) is { } range)
            {
                ranges[name] = range;
            }
            else
            {
                result.AddError($"--search {name}: '{value}' is neither a list V1,V2,… nor a range MIN..MAX[:log][:int] of numbers.");
            }
        }

        return ranges;
    }

    /// <summary><c>1,3,5</c> → values; <c>1e-5..1e-1:log</c> → a (log-)uniform range; <c>:int</c> rounds.</summary>
    private static ParamRange? ParseRange(string value)
    {
        var dots = value.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            var values = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return values.Length == 0 ? null : new ParamRange(Values: values);
        }

        var parts = value[(dots + 2)..].Split(':');
        var flags = parts.Skip(1).ToList();
        if (!double.TryParse(value[..dots], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
            || flags.Any(f => f is not ("log" or "int")))
        {
            return null;
        }

        return new ParamRange(Min: min, Max: max, Log: flags.Contains("log") ? true : null, Integer: flags.Contains("int") ? true : null);
    }

    private static (string Name, string Value)? Split(string token)
    {
        var equals = token.IndexOf('=');
        return equals > 0 && equals < token.Length - 1 ? (token[..equals].Trim(), token[(equals + 1)..].Trim()) : null;
    }
}
