using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;

namespace OrleansMl.Data.Sql;

/// <summary>
/// Splits a SELECT with window functions in two: below, the SELECT's FROM, WHERE, GROUP BY and HAVING
/// with a select list of everything the window calls and the rest of the select list and ORDER BY read
/// (each part without a window call becomes one column); above, the window functions over those rows,
/// then QUALIFY, the select list, DISTINCT, ORDER BY, LIMIT and OFFSET over the rows and the window columns. The
/// rows below run like any query (in the partition grains); the windows run over all of them.
/// </summary>
internal sealed class WindowRewrite
{
    private readonly string _text;
    private readonly List<SelectItem> _below = [];
    private readonly Dictionary<string, string> _columns = new(StringComparer.Ordinal);
    private readonly List<WindowFunction> _functions = [];

    private WindowRewrite(string text) => _text = text;

    /// <summary>The statement itself when it has no window call; else the SELECT over a <see cref="WindowRelation"/>.</summary>
    public static SelectStatement Apply(string text, SelectStatement statement)
    {
        if (!statement.Items.Any(i => i.Expression is { } e && HasWindow(e)) && !statement.OrderBy.Any(o => HasWindow(o.Expression)) && statement.Qualify is null)
        {
            return statement;
        }

        return new WindowRewrite(text).Split(statement);
    }

    private static bool HasWindow(ExpressionNode node) => node is WindowCallNode || ExpressionFormatter.Children(node).Any(HasWindow);

    private SelectStatement Split(SelectStatement statement)
    {
        var items = new List<SelectItem>();
        var stars = false;
        foreach (var item in statement.Items)
        {
            if (item.IsStar)
            {
                if (items.Exists(i => !i.IsStar))
                {
                    throw new ExpressionException(_text, item.Position, 1, "In a query with window functions, * goes before the other select items", ".");
                }

                _below.Add(item);
                if (!stars)
                {
                    items.Add(new SelectItem(null, null, item.Position));
                    stars = true;
                }

                continue;
            }

            var node = item.Expression!;
            var name = item.Alias ?? (node is ColumnReferenceNode column ? column.Name : node.ToString());
            items.Add(new SelectItem(Lift(node), name, item.Position));
        }

        var outputs = new HashSet<string>(items.Where(i => !i.IsStar).Select(i => i.Alias!), StringComparer.Ordinal);

        // QUALIFY filters the rows after the windows; a name of the select list stands for its entry there, as in DuckDB.
        var named = items.Where(i => !i.IsStar).GroupBy(i => i.Alias!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Expression!, StringComparer.Ordinal);
        var qualify = statement.Qualify is { } condition ? Lift(WithAliases(condition, named)) : null;
        var orderBy = statement.OrderBy.Select(o => o.Expression switch
        {
            LiteralNode => o,
            ColumnReferenceNode { Table: null } column when outputs.Contains(column.Name) => o,
            var node => o with { Expression = Lift(node) },
        }).ToList();
        if (!_below.Exists(i => !i.IsStar))
        {
            _below.Add(new SelectItem(new LiteralNode(1L, statement.Position, 0), WindowRelation.HiddenPrefix + "one", statement.Position));
        }

        var below = statement with { Distinct = false, Items = [.. _below], OrderBy = [], Limit = null, Offset = 0, Explain = false, With = [], Into = null, Qualify = null };
        return new SelectStatement(statement.Distinct, items, new WindowRelation(below, _functions, statement.Position, statement.Length), qualify, [], null, orderBy, statement.Limit, statement.Offset, statement.Explain)
        {
            With = statement.With,
            Into = statement.Into,
            Position = statement.Position,
            Length = statement.Length,
        };
    }

    /// <summary>The condition with each bare name of the select list replaced by that entry (already lifted: it reads the rows above).</summary>
    private static ExpressionNode WithAliases(ExpressionNode node, Dictionary<string, ExpressionNode> named) => node switch
    {
        ColumnReferenceNode { Table: null } column when named.TryGetValue(column.Name, out var entry) => entry,
        WindowCallNode => node, // inside a window call, names are the columns of the rows below
        _ => ExpressionFormatter.WithChildren(node, child => WithAliases(child, named)),
    };

    /// <summary>The node with each window call replaced by its column and each part without one by a column of the rows below.</summary>
    private ExpressionNode Lift(ExpressionNode node) => node switch
    {
        LiteralNode => node,
        ColumnReferenceNode column when IsHidden(column) => node, // lifted already (a select-list name in QUALIFY)
        WindowCallNode window => Window(window),
        _ when !HasWindow(node) && !ReadsHidden(node) => Below(node),
        _ => ExpressionFormatter.WithChildren(node, Lift),
    };

    private static bool IsHidden(ColumnReferenceNode column) => column.Name.StartsWith(WindowRelation.HiddenPrefix, StringComparison.Ordinal);

    private static bool ReadsHidden(ExpressionNode node) => node is ColumnReferenceNode column ? IsHidden(column) : ExpressionFormatter.Children(node).Any(ReadsHidden);

    private ColumnReferenceNode Window(WindowCallNode window)
    {
        var call = window.Call;
        if (call.Distinct)
        {
            throw new ExpressionException(_text, call.Position, call.Length, $"{call.Name.ToLowerInvariant()}(DISTINCT ...) is not supported as a window function", "; compute the distinct values in a subquery first.");
        }

        var name = call.Name.ToLowerInvariant();
        var arguments = call.Arguments.Select((argument, i) =>
        {
            if (HasWindow(argument))
            {
                throw new ExpressionException(_text, argument.Position, argument.Length, "A window function cannot be inside another window function", "; compute the inner one in a subquery.");
            }

            // lag/lead's offset and ntile's count are whole numbers written in the query, not columns.
            return argument is LiteralNode && ((i == 1 && name is "lag" or "lead") || (i == 0 && name == "ntile")) ? argument : Below(argument);
        }).ToList();
        var column = $"{WindowRelation.HiddenPrefix}w{_functions.Count}";
        _functions.Add(new WindowFunction(
            window,
            call with { Arguments = arguments },
            [.. window.PartitionBy.Select(p => Below(p).Name)],
            [.. window.OrderBy.Select(o => o with { Expression = Below(o.Expression) })],
            window.Frame ?? (window.OrderBy.Count > 0 ? WindowFrame.Running : WindowFrame.Whole),
            column));
        return new ColumnReferenceNode(column, window.Position, window.Length);
    }

    /// <summary>A column of the rows below holding <paramref name="node"/> (one per distinct expression).</summary>
    private ColumnReferenceNode Below(ExpressionNode node)
    {
        if (HasWindow(node))
        {
            throw new ExpressionException(_text, node.Position, node.Length, "A window function cannot be inside another window function", "; compute the inner one in a subquery.");
        }

        var key = node.ToString();
        if (!_columns.TryGetValue(key, out var name))
        {
            name = $"{WindowRelation.HiddenPrefix}i{_columns.Count}";
            _columns[key] = name;
            _below.Add(new SelectItem(node, name, node.Position));
        }

        return new ColumnReferenceNode(name, node.Position, node.Length);
    }
}
