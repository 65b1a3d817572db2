using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>Planning: names resolved, aggregates found and bound, the select list rewritten over the aggregated rows.</summary>
public sealed partial class SqlQuery
{
    private static readonly HashSet<string> AggregateNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "count", "sum", "avg", "mean", "min", "max", "variance", "var_samp", "var_pop", "stddev", "stddev_samp", "stddev_pop",
        "approx_count_distinct", "median", "quantile", "quantile_cont", "quantile_disc", "approx_quantile",
    };

    private void Bind()
    {
        SetUpRelations();
        var items = Expand();
        var orderNodes = _statement.OrderBy.Select(o => Qualify(Resolve(o.Expression, items, aliasesFirst: true, "ORDER BY"))).ToList();
        var groupNodes = _statement.GroupBy.Select(g => Qualify(Resolve(g, items, aliasesFirst: false, "GROUP BY"))).ToList();
        items = [.. items.Select(i => (Qualify(i.Node), i.Name, i.Alias))];
        var where = _statement.Where is { } w ? Qualify(w) : null;
        var having = _statement.Having is { } h ? Qualify(h) : null;
        var ons = _statement.Joins.Select(j => j.On is { } on ? Qualify(on) : null).ToList();
        var aggregates = new List<FunctionCallNode>();
        foreach (var node in items.Select(i => i.Node).Concat(orderNodes).Append(having).OfType<ExpressionNode>())
        {
            CollectAggregates(node, aggregates, inside: null);
        }

        foreach (var (node, clause) in groupNodes.Select(g => ((ExpressionNode?)g, "GROUP BY")).Append((where, "WHERE")).Concat(ons.Select(o => (o, "ON"))))
        {
            if (node is not null && FirstAggregate(node) is { } misplaced)
            {
                throw Error(misplaced, $"Aggregates are not allowed in {clause}", clause == "WHERE" ? "; filter groups with HAVING." : ".");
            }
        }

        PlanJoins(where, ons, items.Select(i => i.Node).Concat(orderNodes).Concat(groupNodes).Append(having).OfType<ExpressionNode>());
        IsAggregate = aggregates.Count > 0 || groupNodes.Count > 0 || having is not null || _statement.Distinct;
        if (!IsAggregate)
        {
            BindRows(items, orderNodes);
        }
        else
        {
            if (aggregates.Count == 0 && groupNodes.Count == 0)
            {
                groupNodes = [.. items.Select(i => i.Node)]; // SELECT DISTINCT a, b is GROUP BY a, b
            }
            else
            {
                _distinctOutputs = _statement.Distinct;
            }

            BindAggregates(items, orderNodes, groupNodes, aggregates, having);
            _groupTexts = [.. groupNodes.Select(Display).Distinct()];
            _aggregateTexts = [.. aggregates.Select(Display)];
        }

        var passed = IsAggregate ? _grouped : _input;
        ResultSchema = new DatasetSchema(UniqueNames(_outputs.Select(o => o.Name)).Zip(_outputs, (name, o) => new ColumnSchema(
            name, o.Expression?.ResultType ?? passed.Get(o.Column!).Type, o.Column is { } c ? passed.Get(c).VectorLength : 0)));
        ProjectedSchema = new DatasetSchema(ResultSchema.Columns.Select((c, i) => c with { Name = OutputPrefix + i })
            .Concat(_order.Select((o, j) => new ColumnSchema(OrderPrefix + j, o.Key.ResultType))));
        PartialSchema = IsAggregate
            ? new DatasetSchema(_groupKeys.Select((k, i) => new ColumnSchema(GroupPrefix + i, k.ResultType))
                .Concat(_distinctKey is null ? [] : [new ColumnSchema(DistinctColumn, _distinctKey.ResultType)])
                .Concat(_aggregates.Where(a => !a.Distinct).SelectMany(a => a.Aggregate.StateTypes.Select((t, k) => new ColumnSchema($"{AggregatePrefix}{_aggregates.IndexOf(a)}_{k}", t, t == ColumnType.Vector ? a.Aggregate.VectorLength : 0)))))
            : ProjectedSchema;
        var read = new HashSet<string>(
            items.Select(i => i.Node).Concat(orderNodes).Concat(groupNodes).Append(where).Append(having).Concat(ons).OfType<ExpressionNode>().SelectMany(ColumnNames),
            StringComparer.Ordinal);
        _needed = [.. _relations.Select((schema, r) => schema.Columns.Select(c => c.Name).Where(c => read.Contains(Qualify(r, c))).DefaultIfEmpty(schema[0].Name).ToList())];
    }

    /// <summary>The select list with <c>*</c> and <c>t.*</c> expanded, each entry with its result name.</summary>
    private List<(ExpressionNode Node, string Name, string? Alias)> Expand()
    {
        var items = new List<(ExpressionNode, string, string?)>();
        foreach (var item in _statement.Items)
        {
            if (item.IsStar)
            {
                var relations = Enumerable.Range(0, _relations.Count).ToList();
                if (item.StarTable is { } table)
                {
                    relations = [.. relations.Where(r => string.Equals(_aliases[r], table, StringComparison.OrdinalIgnoreCase))];
                    if (relations.Count == 0)
                    {
                        throw new ExpressionException(_text, item.Position, table.Length, $"No table '{table}' in FROM", NameSuggestions.Closest(table, _aliases) is { } closest ? $"; did you mean '{closest}'?" : $" (tables: {string.Join(", ", _aliases)}).");
                    }
                }

                items.AddRange(relations.SelectMany(r => _relations[r].Columns.Where(c => _statement.Relations[r] is not WindowRelation || !c.Name.StartsWith(WindowRelation.HiddenPrefix, StringComparison.Ordinal)).Select(c =>
                    ((ExpressionNode)new ColumnReferenceNode(c.Name, item.Position, 1, IsJoin ? _aliases[r] : null), c.Name, (string?)null))));
            }
            else
            {
                var node = item.Expression!;
                items.Add((node, item.Alias ?? (node is ColumnReferenceNode column ? column.Name : node.ToString()), item.Alias));
            }
        }

        return items;
    }

    /// <summary>A select-list position (<c>ORDER BY 2</c>) or alias stands for that entry's expression.</summary>
    private ExpressionNode Resolve(ExpressionNode node, List<(ExpressionNode Node, string Name, string? Alias)> items, bool aliasesFirst, string clause)
    {
        if (node is LiteralNode { Value: long position })
        {
            return position >= 1 && position <= items.Count
                ? items[(int)position - 1].Node
                : throw Error(node, $"{clause} {position} is not a position in the select list", $" (it has {items.Count} entries).");
        }

        if (node is ColumnReferenceNode { Table: null } column && (aliasesFirst || !IsColumnName(column))
            && items.FindIndex(i => i.Alias == column.Name) is >= 0 and var index)
        {
            return items[index].Node;
        }

        return node;
    }

    private void BindRows(List<(ExpressionNode Node, string Name, string? Alias)> items, List<ExpressionNode> orderNodes)
    {
        foreach (var (node, name, _) in items)
        {
            _outputs.Add(node is ColumnReferenceNode column && _input.IndexOf(column.Name) >= 0
                ? new Output(name, null, column.Name)
                : new Output(name, ExpressionBinder.Bind(node, _input, _text), null));
        }

        for (var i = 0; i < orderNodes.Count; i++)
        {
            _order.Add((ExpressionBinder.Bind(orderNodes[i], _input, _text), _statement.OrderBy[i]));
        }
    }

    private void BindAggregates(
        List<(ExpressionNode Node, string Name, string? Alias)> items, List<ExpressionNode> orderNodes, List<ExpressionNode> groupNodes, List<FunctionCallNode> aggregates, ExpressionNode? having)
    {
        var schema = _input;
        var groupIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in groupNodes)
        {
            groupIndex.TryAdd(node.ToString(), groupIndex.Count);
            if (groupIndex.Count > _groupKeys.Count)
            {
                _groupKeys.Add(ExpressionBinder.Bind(node, schema, _text));
            }
        }

        var aggregateIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var call in aggregates)
        {
            aggregateIndex[call.ToString()] = _aggregates.Count;
            _aggregates.Add(BindAggregate(call, schema));
        }

        var grouped = _grouped = new DatasetSchema(
            _groupKeys.Select((k, i) => new ColumnSchema(GroupPrefix + i, k.ResultType))
                .Concat(_aggregates.Select((a, j) => new ColumnSchema(AggregatePrefix + j, a.Aggregate.ResultType, a.Aggregate.VectorLength))));
        var distinctOnly = _statement.Distinct && aggregates.Count == 0 && _statement.GroupBy.Count == 0;
        foreach (var (node, name, _) in items)
        {
            var rewritten = Rewrite(node, groupIndex, aggregateIndex, distinctOnly);
            _outputs.Add(rewritten is ColumnReferenceNode column && grouped.IndexOf(column.Name) is >= 0 and var index && grouped[index].Type == ColumnType.Vector
                ? new Output(name, null, column.Name) // a vector aggregate passes through: vectors are not expressions
                : new Output(name, ExpressionBinder.Bind(rewritten, grouped, _text), null));
        }

        if (having is not null)
        {
            _having = ExpressionBinder.BindPredicate(Rewrite(having, groupIndex, aggregateIndex, distinctOnly), grouped, _text);
        }

        for (var i = 0; i < orderNodes.Count; i++)
        {
            _order.Add((ExpressionBinder.Bind(Rewrite(orderNodes[i], groupIndex, aggregateIndex, distinctOnly), grouped, _text), _statement.OrderBy[i]));
        }
    }

    /// <summary>The columns of the aggregated rows: group keys, then each aggregate's result.</summary>
    private DatasetSchema _grouped = null!;

    private (SqlAggregate, BoundExpression?, bool) BindAggregate(FunctionCallNode call, DatasetSchema schema)
    {
        var name = call.Name.ToLowerInvariant();
        if (call.Distinct)
        {
            if (call.Arguments.Count != 1)
            {
                throw Error(call, $"{name}(DISTINCT ...) takes one argument but was given {call.Arguments.Count}");
            }

            var (inner, value, _) = BindAggregate(call with { Distinct = false }, schema);
            if (inner.VectorColumn is not null)
            {
                throw Error(call, $"{name}(DISTINCT ...) does not take a vector");
            }

            var text = Display(call.Arguments[0]);
            if (_distinctText is not null && _distinctText != text)
            {
                throw Error(call, "A query may have DISTINCT aggregates of one argument only", $" ({_distinctText}, and {text} here); compute the other in a subquery and join.");
            }

            (_distinctKey, _distinctText) = (value, text);
            return (inner, value, true);
        }

        if (call.Star)
        {
            return name == "count" ? (new CountAggregate(), null, false) : throw Error(call, $"{name}(*) is not an aggregate", "; only count(*) takes *.");
        }

        var quantile = name is "quantile" or "quantile_cont" or "quantile_disc" or "approx_quantile";
        if (call.Arguments.Count != (quantile ? 2 : 1))
        {
            throw Error(call, quantile ? $"{name}() takes two arguments (the values and the quantile, 0 to 1)" : $"{name}() takes one argument", $" but was given {call.Arguments.Count}.");
        }

        if (call.Arguments[0] is ColumnReferenceNode vector && schema.IndexOf(vector.Name) is >= 0 and var at && schema[at].Type == ColumnType.Vector)
        {
            return name switch
            {
                "sum" or "avg" or "mean" or "min" or "max" => (new VectorAggregate(name, vector.Name, schema[at].VectorLength), null, false),
                "count" => (new CountAggregate(vector.Name), null, false),
                _ => throw Error(vector, $"{name}() does not take a vector", " (sum, avg, min and max take one element by element; count counts rows with one)."),
            };
        }

        var argument = ExpressionBinder.Bind(call.Arguments[0], schema, _text);
        var type = argument.ResultType;
        var numeric = type is ColumnType.Int64 or ColumnType.Float64 or ColumnType.Boolean;
        SqlAggregate aggregate = name switch
        {
            "count" => new CountAggregate(),
            "min" or "max" => new MinMaxAggregate(name, name == "max", type),
            "approx_count_distinct" when type is ColumnType.Vector => throw Error(call.Arguments[0], $"{name}() does not take a vector"),
            "approx_count_distinct" => new ApproxCountDistinctAggregate(),
            "quantile_disc" or "quantile" when type == ColumnType.Timestamp => new QuantileAggregate(name, Quantile(call), discrete: true, type),
            _ when !numeric => throw Error(call.Arguments[0], $"{name}() needs a number, but this is {type.ToString().ToLowerInvariant()}"),
            "median" => new QuantileAggregate(name, 0.5, discrete: false, type),
            "quantile_disc" or "quantile" => new QuantileAggregate(name, Quantile(call), discrete: true, type),
            "approx_quantile" => new ApproxQuantileAggregate(Quantile(call), type),
            _ when quantile => new QuantileAggregate(name, Quantile(call), discrete: false, type),
            "sum" => new SumAggregate(name, average: false, integers: type is ColumnType.Int64 or ColumnType.Boolean),
            "avg" or "mean" => new SumAggregate(name, average: true, integers: false),
            "variance" or "var_samp" => new VarianceAggregate(name, sample: true, root: false),
            "var_pop" => new VarianceAggregate(name, sample: false, root: false),
            "stddev" or "stddev_samp" => new VarianceAggregate(name, sample: true, root: true),
            _ => new VarianceAggregate(name, sample: false, root: true),
        };
        return (aggregate, argument, false);
    }

    /// <summary>The quantile a quantile aggregate's second argument names: a number from 0 to 1 written in the query.</summary>
    private double Quantile(FunctionCallNode call) => call.Arguments[1] switch
    {
        LiteralNode { Value: double q } when q is >= 0 and <= 1 => q,
        LiteralNode { Value: long q } when q is 0 or 1 => q,
        var other => throw Error(other, $"The quantile of {call.Name.ToLowerInvariant()}() must be a number from 0 to 1 written in the query", " (0.5 for the median)."),
    };

    /// <summary>The expression over the aggregated rows: group keys and aggregates become their columns; any other column is an error.</summary>
    private ExpressionNode Rewrite(ExpressionNode node, Dictionary<string, int> groups, Dictionary<string, int> aggregates, bool distinctOnly)
    {
        var key = node.ToString();
        if (groups.TryGetValue(key, out var group))
        {
            return new ColumnReferenceNode(GroupPrefix + group, node.Position, node.Length);
        }

        if (node is FunctionCallNode call && IsAggregateCall(call))
        {
            return new ColumnReferenceNode(AggregatePrefix + aggregates[key], node.Position, node.Length);
        }

        return node switch
        {
            ColumnReferenceNode column => throw (distinctOnly
                ? Error(column, $"'{column.Name}' is not in the select list", "; with SELECT DISTINCT, ORDER BY uses the selected columns.")
                : Error(column, $"'{column.Name}' must be in GROUP BY or inside an aggregate", $", e.g. max({ExpressionFormatter.ColumnName(column.Name)}).")),
            _ => ExpressionFormatter.WithChildren(node, child => Rewrite(child, groups, aggregates, distinctOnly)),
        };
    }

    private void CollectAggregates(ExpressionNode node, List<FunctionCallNode> found, FunctionCallNode? inside)
    {
        if (node is FunctionCallNode call && IsAggregateCall(call))
        {
            if (inside is not null)
            {
                throw Error(call, $"An aggregate cannot contain another ({call.Name.ToLowerInvariant()} inside {inside.Name.ToLowerInvariant()})");
            }

            if (!found.Exists(f => f.ToString() == call.ToString()))
            {
                found.Add(call);
            }

            inside = call;
        }

        foreach (var child in ExpressionFormatter.Children(node))
        {
            CollectAggregates(child, found, inside);
        }
    }

    private static FunctionCallNode? FirstAggregate(ExpressionNode node) =>
        node is FunctionCallNode call && IsAggregateCall(call) ? call : ExpressionFormatter.Children(node).Select(FirstAggregate).FirstOrDefault(a => a is not null);

    private static bool IsAggregateCall(FunctionCallNode call) => call.Star || AggregateNames.Contains(call.Name);

    private static IEnumerable<string> ColumnNames(ExpressionNode node) =>
        node is ColumnReferenceNode column ? [column.Name] : ExpressionFormatter.Children(node).SelectMany(ColumnNames);

    /// <summary>Result names made unique the way DuckDB does not need to: a repeated name gets <c>_2</c>, <c>_3</c>, ...</summary>
    private static IEnumerable<string> UniqueNames(IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var unique = name;
            for (var n = 2; !seen.Add(unique); n++)
            {
                unique = $"{name}_{n}";
            }

            yield return unique;
        }
    }

    private ExpressionException Error(ExpressionNode node, string problem, string? detail = null) =>
        new(_text, node.Position, Math.Max(1, node.Length), problem, detail ?? ".");
}
