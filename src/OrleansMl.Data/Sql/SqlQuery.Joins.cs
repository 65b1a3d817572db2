using System.Numerics;
using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// Join planning. The driving relation's rows (a partition's) are probed against every other relation,
/// held whole and hashed on the join keys: inner and cross joins in any order that follows the
/// equality conditions (WHERE's and ON's pooled), outer joins in the order written. Conditions on one
/// relation alone filter it before the join (pushed to its scan, or to the partition's rows).
/// </summary>
public sealed partial class SqlQuery
{
    private BoundExpression? _prefilter;
    private BoundExpression?[] _pushedFilters = [];
    private string? _prefilterText;
    private string? _filterText;
    private readonly List<JoinStep> _joins = [];

    /// <summary>The columns the joins produce, the driving relation's first (qualified names).</summary>
    private DatasetSchema _input = null!;

    /// <param name="readAfter">What reads the joined rows after the joins (select list, ORDER BY, GROUP BY, HAVING): their columns are kept through every join.</param>
    private void PlanJoins(ExpressionNode? where, IReadOnlyList<ExpressionNode?> ons, IEnumerable<ExpressionNode> readAfter)
    {
        _pushed = [.. _relations.Select(_ => new List<ExpressionNode>())];
        _input = _qualified[_driving];
        if (!IsJoin)
        {
            _prefilter = where is null ? null : ExpressionBinder.BindPredicate(where, _input, _text);
            _prefilterText = where?.ToString();
            _drivingConditions = [.. Conjuncts(where)];
            return;
        }

        for (var i = 0; i < ons.Count; i++)
        {
            var visible = (1UL << (i + 2)) - 1; // an ON sees the relations written before it and its own
            foreach (var condition in Conjuncts(ons[i]).Where(c => (RelationsOf(c) & ~visible) != 0))
            {
                var later = _aliases[BitOperations.TrailingZeroCount(RelationsOf(condition) & ~visible)];
                throw Error(condition, $"This ON condition reads '{later}', which is joined after it", "; move the condition to that join's ON or to WHERE.");
            }
        }

        var laterColumns = readAfter.SelectMany(ColumnNames).ToHashSet(StringComparer.Ordinal);
        var joined = 1UL << _driving;
        var before = new List<ExpressionNode>();
        var after = new List<ExpressionNode>();
        var kinds = _statement.Joins.Select(j => j.Kind).ToList();
        if (kinds.TrueForAll(k => k is JoinKind.Inner or JoinKind.Cross))
        {
            var pool = new List<ExpressionNode>();
            foreach (var condition in Conjuncts(where).Concat(ons.SelectMany(Conjuncts)))
            {
                var bits = RelationsOf(condition);
                if ((bits & ~joined) == 0)
                {
                    before.Add(condition);
                }
                else if (BitOperations.PopCount(bits) == 1)
                {
                    _pushed[BitOperations.TrailingZeroCount(bits)].Add(condition);
                }
                else
                {
                    pool.Add(condition);
                }
            }

            var remaining = Enumerable.Range(0, _relations.Count).Where(r => r != _driving).ToList();
            while (remaining.Count > 0)
            {
                var next = remaining.FirstOrDefault(r => pool.Exists(c => KeySides(c, joined, r) is not null), remaining[0]);
                remaining.Remove(next);
                var conditions = pool.FindAll(c => (RelationsOf(c) & ~(joined | (1UL << next))) == 0);
                pool.RemoveAll(conditions.Contains);
                AddJoin(next, JoinKind.Inner, conditions, ref joined, [.. laterColumns, .. pool.SelectMany(ColumnNames)]);
            }
        }
        else
        {
            // Outer joins keep their order; a lone RIGHT JOIN is driven from its right side as a LEFT JOIN.
            List<(int Relation, JoinKind Kind, ExpressionNode? On)> order = _driving == 0
                ? [.. _statement.Joins.Select((j, i) => (i + 1, j.Kind, ons[i]))]
                : [(0, JoinKind.Left, ons[0])];
            RunsAtCoordinator = order.Exists(j => j.Kind is JoinKind.Right or JoinKind.Full);
            foreach (var condition in Conjuncts(where))
            {
                (!RunsAtCoordinator && (RelationsOf(condition) & ~joined) == 0 ? before : after).Add(condition);
            }

            for (var j = 0; j < order.Count; j++)
            {
                var (relation, kind, on) = order[j];
                var conditions = new List<ExpressionNode>();
                foreach (var condition in Conjuncts(on))
                {
                    var bits = RelationsOf(condition);
                    (bits == 1UL << relation && kind is JoinKind.Inner or JoinKind.Left ? _pushed[relation] : conditions).Add(condition);
                }

                AddJoin(relation, kind, conditions, ref joined, [.. laterColumns, .. after.SelectMany(ColumnNames), .. order.Skip(j + 1).Select(o => o.On).OfType<ExpressionNode>().SelectMany(ColumnNames)]);
            }
        }

        _prefilter = before.Count == 0 ? null : ExpressionBinder.BindPredicate(And(before), _qualified[_driving], _text);
        _drivingConditions = [.. before.Select(Unqualify)];
        _filter = after.Count == 0 ? null : ExpressionBinder.BindPredicate(And(after), _input, _text);
        _prefilterText = before.Count == 0 ? null : Display(And(before));
        _filterText = after.Count == 0 ? null : Display(And(after));
        // Applied again to each relation as the partition stage joins it: a dataset's scan filtered it already,
        // a subquery's or WITH query's rows were not.
        _pushedFilters = [.. _pushed.Select((p, r) => p.Count == 0 ? null : ExpressionBinder.BindPredicate(And(p), _qualified[r], _text))];
    }

    /// <summary>
    /// Joins <paramref name="relation"/> to the rows so far: its equality conditions become hash keys, the rest a condition on
    /// each matched pair. The joined rows carry only the columns read after it (<paramref name="keep"/>, and the pairs'
    /// condition): a key nothing reads again is not gathered for every matched row.
    /// </summary>
    private void AddJoin(int relation, JoinKind kind, List<ExpressionNode> conditions, ref ulong joined, HashSet<string> keep)
    {
        var probeKeys = new List<BoundExpression>();
        var buildKeys = new List<BoundExpression>();
        var residual = new List<ExpressionNode>();
        foreach (var condition in conditions)
        {
            if (KeySides(condition, joined, relation) is var (probeSide, buildSide)
                && ExpressionBinder.Bind(probeSide, _input, _text) is var probe
                && ExpressionBinder.Bind(buildSide, _qualified[relation], _text) is var build
                && KeyKind(probe.ResultType) is { } keyKind && keyKind == KeyKind(build.ResultType))
            {
                probeKeys.Add(probe);
                buildKeys.Add(build);
            }
            else
            {
                residual.Add(condition);
            }
        }

        _input = new DatasetSchema(_input.Columns.Concat(_qualified[relation].Columns));
        var effective = kind == JoinKind.Inner && probeKeys.Count == 0 ? JoinKind.Cross : kind;
        keep.UnionWith(residual.SelectMany(ColumnNames));
        _joins.Add(new JoinStep(
            relation, effective, [.. probeKeys], [.. buildKeys],
            residual.Count == 0 ? null : ExpressionBinder.BindPredicate(And(residual), _input, _text),
            conditions.Count == 0 ? null : Display(And(conditions)), keep));
        joined |= 1UL << relation;
    }

    /// <summary>For <c>x = y</c> with one side reading only joined relations and the other only <paramref name="relation"/>: (the joined side, the relation's side).</summary>
    private (ExpressionNode Probe, ExpressionNode Build)? KeySides(ExpressionNode condition, ulong joined, int relation)
    {
        if (condition is not BinaryNode { Operator: BinaryOperator.Equal } equal)
        {
            return null;
        }

        var left = RelationsOf(equal.Left);
        var right = RelationsOf(equal.Right);
        var bit = 1UL << relation;
        return left != 0 && (left & ~joined) == 0 && right == bit ? (equal.Left, equal.Right)
            : right != 0 && (right & ~joined) == 0 && left == bit ? (equal.Right, equal.Left)
            : null;
    }

    /// <summary>Key types that can be compared by value: numbers with numbers, text with text, times with times.</summary>
    private static string? KeyKind(ColumnType type) => type switch
    {
        ColumnType.Int64 or ColumnType.Float64 => "number",
        ColumnType.String or ColumnType.Categorical => "text",
        ColumnType.Timestamp => "timestamp",
        ColumnType.Boolean => "boolean",
        _ => null,
    };

    private static ExpressionNode And(IEnumerable<ExpressionNode> conditions) =>
        conditions.Aggregate((a, b) => new BinaryNode(BinaryOperator.And, a, b, b.Position, 0));

    /// <summary>
    /// One join: the relation joined, how, its hash keys (probe side over the rows so far, build side over the relation), the
    /// condition on each pair, and the columns (qualified names) its rows carry on.
    /// </summary>
    private sealed record JoinStep(int Relation, JoinKind Kind, BoundExpression[] ProbeKeys, BoundExpression[] BuildKeys, BoundExpression? Residual, string? Condition, HashSet<string> Keep);
}
