using OrleansMl.Data.Expressions;
using OrleansMl.Data.Expressions.Syntax;
using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Sql;

/// <summary>
/// A SELECT over one dataset, planned against its schema and split in two: the stage every partition
/// runs on its own rows (filter, projection and ORDER BY + LIMIT as a local top-N, or grouping into
/// partial aggregates) and the stage that merges what the partitions returned (merge of the partial
/// aggregates, HAVING, the select list, DISTINCT, ORDER BY, OFFSET and LIMIT). Both stages plan the
/// same text the same way, so a partition grain needs only the query text. Every name and type is
/// checked here, before any data is read; errors point into the query text.
/// </summary>
public sealed partial class SqlQuery
{
    private const string GroupPrefix = "__g";
    private const string AggregatePrefix = "__a";
    private const string OutputPrefix = "__c";
    private const string OrderPrefix = "__k";
    private const string DistinctColumn = "__d";

    private readonly string _text;
    private readonly SelectStatement _statement;
    private readonly int _maxRows;
    private readonly IReadOnlyList<DatasetSchema> _relations;
    private readonly int _driving;
    private BoundExpression? _filter;
    private readonly List<Output> _outputs = [];
    private readonly List<(BoundExpression Key, OrderItem Item)> _order = [];
    private readonly List<BoundExpression> _groupKeys = [];
    private readonly List<(SqlAggregate Aggregate, BoundExpression? Argument, bool Distinct)> _aggregates = [];

    /// <summary>The argument of the query's DISTINCT aggregates (one per query), which the partial aggregates are also grouped by.</summary>
    private BoundExpression? _distinctKey;
    private string? _distinctText;
    private BoundExpression? _having;
    private bool _distinctOutputs;

    private SqlQuery(string text, SelectStatement statement, IReadOnlyList<DatasetSchema> relations, int driving, int maxRows)
    {
        _text = text;
        _statement = statement;
        _relations = relations;
        _driving = driving;
        _maxRows = maxRows;
    }

    /// <summary>True when each partition's rows are final rows (no aggregate, DISTINCT, ORDER BY, LIMIT or OFFSET): a result can be written where they are, without a merge.</summary>
    public bool Streams => !IsAggregate && _order.Count == 0 && _statement.Limit is null && _statement.Offset == 0;

    /// <summary>The most rows the result may hold.</summary>
    public int MaxRows => _maxRows;

    /// <summary>The statement planned.</summary>
    public SelectStatement Statement => _statement;

    /// <summary>True when the query groups or aggregates (partitions return partial aggregates).</summary>
    public bool IsAggregate { get; private set; }

    /// <summary>The columns of the result, with their names and types.</summary>
    public DatasetSchema ResultSchema { get; private set; } = null!;

    /// <summary>The columns of what <see cref="RunPartition"/> returns (and <see cref="Finish"/> takes), so a stage's rows can cross a wire that forgets types.</summary>
    public DatasetSchema PartialSchema { get; private set; } = null!;

    /// <summary>The columns of the select list and the order keys, by the plan's names, before DISTINCT, ORDER BY and LIMIT apply (what <see cref="FinishGroups"/> returns and <see cref="Order"/> takes).</summary>
    public DatasetSchema ProjectedSchema { get; private set; } = null!;

    /// <summary>The columns of the driving relation the partitions read (for column pruning).</summary>
    public IReadOnlyList<string> ReadColumns => _needed[_driving];

    /// <summary>Parses <paramref name="text"/>; the dataset it reads is <see cref="SelectStatement.From"/>.</summary>
    /// <exception cref="ExpressionException">Not a valid query; the message points at where.</exception>
    public static SelectStatement Parse(string text) => ExpressionParser.ParseSelect(text);

    /// <summary>True when the statement, its WITH queries or any subquery reads a file in place (<see cref="FileRelation"/>), which needs the right to read server files, as an import does.</summary>
    public static bool ReadsFiles(SelectStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.With.Any(w => ReadsFiles(w.Query)) || statement.Relations.Any(relation => relation switch
        {
            FileRelation => true,
            SubqueryRelation subquery => ReadsFiles(subquery.Query),
            UnionRelation union => union.Branches.Any(ReadsFiles),
            WindowRelation window => ReadsFiles(window.Query),
            _ => false,
        });
    }

    /// <summary>
    /// Parses the text of a stage a partition grain runs: the SELECT itself, or for a SELECT with window
    /// functions the query below them (<see cref="WindowRelation.Query"/>; the windows run over all its rows, never in one partition).
    /// </summary>
    public static SelectStatement ParseStage(string text) => Parse(text) is var statement && statement.From is WindowRelation window ? window.Query : statement;

    /// <summary>Plans a <paramref name="statement"/> (parsed from <paramref name="text"/>) over one relation with the columns <paramref name="schema"/>.</summary>
    /// <param name="maxRows">The most rows a result may hold; a query that would return more returns this many and says it was cut.</param>
    /// <exception cref="ExpressionException">A name is unknown, a type does not fit or a clause is not allowed where it is; the message points at where.</exception>
    public static SqlQuery Plan(string text, SelectStatement statement, DatasetSchema schema, int maxRows) => Plan(text, statement, [schema], 0, maxRows);

    /// <summary>Plans <paramref name="statement"/> against the columns of each relation of its FROM (in the order written), driven from relation <paramref name="driving"/> (see <see cref="ChooseDriving"/>).</summary>
    /// <exception cref="ExpressionException">A name is unknown or ambiguous, a type does not fit or a clause is not allowed where it is; the message points at where.</exception>
    public static SqlQuery Plan(string text, SelectStatement statement, IReadOnlyList<DatasetSchema> relations, int driving, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(relations);
        if (relations.Count != statement.Relations.Count || driving < 0 || driving >= relations.Count)
        {
            throw new ArgumentException($"The statement reads {statement.Relations.Count} relation(s); {relations.Count} schemas were given, driving {driving}.", nameof(relations));
        }

        var query = new SqlQuery(text, statement, relations, driving, maxRows);
        query.Bind();
        return query;
    }

    /// <summary>A select-list entry: its name and either the expression to evaluate or the column it passes through.</summary>
    private sealed record Output(string Name, BoundExpression? Expression, string? Column);
}
