using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansMl.Experiments;

/// <summary>
/// Which runs a listing keeps: conditions on any parameter, metric or <c>status</c>, joined by <c>and</c>, e.g.
/// <c>accuracy &gt; 0.9 and l2 &lt;= 0.01 and status = succeeded</c>. A value compares as a number when both
/// sides read as numbers, else as text (only <c>=</c> and <c>!=</c>). A name is a metric when a run has that
/// metric, else a parameter; a run without it does not pass.
/// </summary>
public sealed partial class RunFilter
{
    private readonly List<Condition> _conditions;

    private RunFilter(List<Condition> conditions) => _conditions = conditions;

    /// <summary>Reads a filter; a part that is not <c>name op value</c> is refused naming it (<see cref="ArgumentException"/> for the field <c>filter</c>).</summary>
    public static RunFilter? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var conditions = new List<Condition>();
        foreach (var part in AndSeparator().Split(text.Trim()))
        {
            var match = ConditionPattern().Match(part);
            if (!match.Success)
            {
                throw FieldError.Invalid($"The filter part '{part.Trim()}' is not 'name op value' (op one of = != < <= > >=), e.g. 'accuracy > 0.9 and l2 <= 0.01'.", "filter");
            }

            var value = match.Groups["value"].Value.Trim().Trim('\'', '"');
            var number = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : (double?)null;
            var op = match.Groups["op"].Value;
            if (number is null && op is not ("=" or "!="))
            {
                throw FieldError.Invalid($"The filter part '{part.Trim()}' compares '{value}', which is not a number, with {op}: text takes = or != only.", "filter");
            }

            conditions.Add(new Condition(match.Groups["name"].Value, op, value, number));
        }

        return new RunFilter(conditions);
    }

    public bool Passes(RunSummary run)
    {
        foreach (var condition in _conditions)
        {
            if (!condition.Passes(run))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Condition(string Name, string Op, string Text, double? Number)
    {
        public bool Passes(RunSummary run)
        {
            if (Name == "status")
            {
                return Compare(run.Status);
            }

            if (run.Metrics.TryGetValue(Name, out var metric))
            {
                if (double.IsNaN(metric))
                {
                    return Op == "!="; // NaN is neither above, below nor equal to anything
                }

                return Number is { } number ? Compare(metric.CompareTo(number)) : Compare(metric.ToString("R", CultureInfo.InvariantCulture));
            }

            if (run.Params.TryGetValue(Name, out var param))
            {
                return Number is { } number && double.TryParse(param, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    ? Compare(value.CompareTo(number))
                    : Compare(param);
            }

            return false;
        }

        private bool Compare(string value) => Op switch
        {
            "=" => string.Equals(value, Text, StringComparison.Ordinal),
            "!=" => !string.Equals(value, Text, StringComparison.Ordinal),
            _ => false, // an ordering against text was refused when the filter was read
        };

        private bool Compare(int order) => Op switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    [GeneratedRegex(@"\s+and\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AndSeparator();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)\s*(?<op>!=|<=|>=|=|<|>)\s*(?<value>.+?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ConditionPattern();
}
