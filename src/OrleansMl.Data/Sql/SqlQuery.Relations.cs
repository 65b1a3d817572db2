using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// The relations of FROM: their names in the query, column names resolved to the relation they belong
/// to, and the joins planned. Over one relation the columns keep their names; over several every
/// column is named <c>alias.column</c> inside the plan, so equal names in two relations stay apart.
/// </summary>
public sealed partial class SqlQuery
{
    private string[] _aliases = [];
    private DatasetSchema[] _qualified = [];
    private readonly Dictionary<string, (int Relation, string Column)> _owners = new(StringComparer.Ordinal);

    private bool IsJoin => _relations.Count > 1;

    /// <summary>The relation the partition stage runs over (its rows are the partition's); every other relation is materialized and broadcast.</summary>
    public int Driving => _driving;

    /// <summary>True when a join keeps the unmatched rows of a broadcast relation (RIGHT or FULL), so the driving relation must be read whole at the coordinator.</summary>
    public bool RunsAtCoordinator { get; private set; }

    /// <summary>
    /// The relation to drive a query over: the largest dataset when every join is inner or cross (they
    /// commute); the right side of a lone RIGHT JOIN; otherwise the first relation.
    /// </summary>
    /// <param name="rowCounts">The rows of each relation in FROM order; null where unknown before it runs (a subquery).</param>
    public static int ChooseDriving(SelectStatement statement, IReadOnlyList<long?> rowCounts)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(rowCounts);
        if (statement.Joins.All(j => j.Kind is JoinKind.Inner or JoinKind.Cross))
        {
            var best = 0;
            for (var i = 1; i < rowCounts.Count; i++)
            {
                if ((rowCounts[i] ?? -1) > (rowCounts[best] ?? -1))
                {
                    best = i;
                }
            }

            return best;
        }

        return statement.Joins is [{ Kind: JoinKind.Right }] ? 1 : 0;
    }

    /// <summary>The columns of relation <paramref name="relation"/> the query reads, by their own names (at least one, so its row count survives).</summary>
    public IReadOnlyList<string> RelationColumns(int relation) => _needed[relation];

    /// <summary>The columns of relation <paramref name="relation"/> the query reads, with their types (what a broadcast copy of it holds).</summary>
    public DatasetSchema RelationSchema(int relation) => new(_needed[relation].Select(_relations[relation].Get));

    /// <summary>The WHERE and ON conditions on relation <paramref name="relation"/> alone, which its rows can be filtered by before the join; null when none.</summary>
    public ExpressionNode? PushedFilter(int relation) =>
        _pushed[relation].Count == 0 ? null : _pushed[relation].Select(Unqualify).Aggregate((a, b) => new BinaryNode(BinaryOperator.And, a, b, b.Position, 0));

    /// <summary>
    /// A query reading relation <paramref name="relation"/> from its dataset <paramref name="dataset"/>
    /// as the join needs it: only the columns read, filtered by <see cref="PushedFilter"/>.
    /// </summary>
    public string ScanText(int relation, string dataset, int version) =>
        $"SELECT {string.Join(", ", _needed[relation].Select(ExpressionFormatter.ColumnName))} FROM {ExpressionFormatter.ColumnName(dataset)}@{version}"
        + (PushedFilter(relation) is { } filter ? " WHERE " + filter : string.Empty);

    private List<string>[] _needed = [];
    private List<ExpressionNode>[] _pushed = [];

    /// <summary>Names each relation (its alias, else the dataset's name) and its columns.</summary>
    private void SetUpRelations()
    {
        var relations = _statement.Relations;
        _aliases = new string[relations.Count];
        _qualified = new DatasetSchema[relations.Count];
        for (var r = 0; r < relations.Count; r++)
        {
            var relation = relations[r];
            var alias = relation.Alias ?? (relation as TableReference)?.Name ?? (relation as FileRelation)?.Function ?? $"subquery{r + 1}";
            var earlier = Array.FindIndex(_aliases, 0, r, a => string.Equals(a, alias, StringComparison.OrdinalIgnoreCase));
            if (earlier >= 0)
            {
                throw new ExpressionException(_text, relation.Position, relation.Length, $"'{alias}' names two relations in FROM", "; give one of them another name with AS.");
            }

            _aliases[r] = alias;
            _qualified[r] = new DatasetSchema(_relations[r].Columns.Select(c => c with { Name = Qualify(r, c.Name) }));
            foreach (var column in _relations[r].Columns)
            {
                _owners[Qualify(r, column.Name)] = (r, column.Name);
            }
        }
    }

    private string Qualify(int relation, string column) => IsJoin ? $"{_aliases[relation]}.{column}" : column;

    /// <summary>True when <paramref name="column"/> (written without a table) is a column of some relation.</summary>
    private bool IsColumnName(ColumnReferenceNode column) =>
        column.Table is null && _relations.Any(r => r.IndexOf(column.Name) >= 0);

    /// <summary>Every column reference renamed to the plan's name for it: its own over one relation, <c>alias.column</c> over several.</summary>
    private ExpressionNode Qualify(ExpressionNode node) => MapColumns(node, QualifyColumn);

    private ColumnReferenceNode QualifyColumn(ColumnReferenceNode column)
    {
        if (column.Table is { } table)
        {
            var relation = Array.FindIndex(_aliases, a => string.Equals(a, table, StringComparison.OrdinalIgnoreCase));
            if (relation < 0)
            {
                var closest = NameSuggestions.Closest(table, _aliases);
                throw Error(column, $"No table '{table}' in FROM", closest is null ? $" (tables: {string.Join(", ", _aliases)})." : $"; did you mean '{closest}'?");
            }

            if (_relations[relation].IndexOf(column.Name) < 0)
            {
                var names = _relations[relation].Columns.Select(c => c.Name).ToList();
                var closest = NameSuggestions.Closest(column.Name, names);
                throw Error(column, $"'{_aliases[relation]}' has no column '{column.Name}'", closest is null ? $" (columns: {NameSuggestions.List(names)})." : $"; did you mean '{_aliases[relation]}.{closest}'?");
            }

            return new ColumnReferenceNode(Qualify(relation, column.Name), column.Position, column.Length);
        }

        if (!IsJoin)
        {
            return column;
        }

        var owners = Enumerable.Range(0, _relations.Count).Where(r => _relations[r].IndexOf(column.Name) >= 0).ToList();
        return owners switch
        {
            [var only] => new ColumnReferenceNode(Qualify(only, column.Name), column.Position, column.Length),
            [] => column,
            _ => throw Error(column, $"Column '{column.Name}' is in {string.Join(" and ", owners.Select(r => _aliases[r]))}", $"; write {string.Join(" or ", owners.Select(r => $"{_aliases[r]}.{ExpressionFormatter.ColumnName(column.Name)}"))}."),
        };
    }

    /// <summary>A pushed condition over the relation's own column names, to filter it before the join.</summary>
    private ExpressionNode Unqualify(ExpressionNode node) =>
        MapColumns(node, column => _owners.TryGetValue(column.Name, out var owner) ? column with { Name = owner.Column } : column);

    /// <summary>An expression of the plan as people write it (<c>o.price</c>, not <c>"o.price"</c>), for EXPLAIN.</summary>
    private string Display(ExpressionNode node) =>
        (IsJoin ? MapColumns(node, column => _owners.TryGetValue(column.Name, out var owner) ? column with { Name = owner.Column, Table = _aliases[owner.Relation] } : column) : node).ToString();

    private static ExpressionNode MapColumns(ExpressionNode node, Func<ColumnReferenceNode, ExpressionNode> map) =>
        node is ColumnReferenceNode column ? map(column) : ExpressionFormatter.WithChildren(node, child => MapColumns(child, map));

    /// <summary>The relations a (qualified) expression reads, as bits.</summary>
    private ulong RelationsOf(ExpressionNode node) =>
        node is ColumnReferenceNode column
            ? _owners.TryGetValue(column.Name, out var owner) && IsJoin ? 1UL << owner.Relation : 0
            : ExpressionFormatter.Children(node).Aggregate(0UL, (bits, child) => bits | RelationsOf(child));

    private static IEnumerable<ExpressionNode> Conjuncts(ExpressionNode? node) =>
        node switch
        {
            null => [],
            BinaryNode { Operator: BinaryOperator.And } and => Conjuncts(and.Left).Concat(Conjuncts(and.Right)),
            _ => [node],
        };
}
