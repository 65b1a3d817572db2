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

    private readonly string _text;
    private readonly SelectStatement _statement;
    private readonly int _maxRows;
    private BoundExpression? _filter;
    private readonly List<Output> _outputs = [];
    private readonly List<(BoundExpression Key, OrderItem Item)> _order = [];
    private readonly List<BoundExpression> _groupKeys = [];
    private readonly List<(SqlAggregate Aggregate, BoundExpression? Argument)> _aggregates = [];
    private BoundExpression? _having;
    private bool _distinctOutputs;

    private SqlQuery(string text, SelectStatement statement, int maxRows)
    {
        _text = text;
        _statement = statement;
        _maxRows = maxRows;
    }

    /// <summary>The dataset the query reads.</summary>
    public TableReference Table => _statement.From;

    /// <summary>True when the query groups or aggregates (partitions return partial aggregates).</summary>
    public bool IsAggregate { get; private set; }

    /// <summary>The columns of the result, with their names and types.</summary>
    public DatasetSchema ResultSchema { get; private set; } = null!;

    /// <summary>The columns of what <see cref="RunPartition"/> returns (and <see cref="Finish"/> takes), so a stage's rows can cross a wire that forgets types.</summary>
    public DatasetSchema PartialSchema { get; private set; } = null!;

    /// <summary>The columns of the dataset the partitions read (for column pruning).</summary>
    public IReadOnlyList<string> ReadColumns { get; private set; } = [];

    /// <summary>Parses <paramref name="text"/>; the dataset it reads is <see cref="SelectStatement.From"/>.</summary>
    /// <exception cref="ExpressionException">Not a valid query; the message points at where.</exception>
    public static SelectStatement Parse(string text) => ExpressionParser.ParseSelect(text);

    /// <summary>Plans <paramref name="statement"/> (parsed from <paramref name="text"/>) against the schema of the dataset it reads.</summary>
    /// <param name="maxRows">The most rows a result may hold; a query that would return more returns this many and says it was cut.</param>
    /// <exception cref="ExpressionException">A name is unknown, a type does not fit or a clause is not allowed where it is; the message points at where.</exception>
    public static SqlQuery Plan(string text, SelectStatement statement, DatasetSchema schema, int maxRows)
    {
        var query = new SqlQuery(text, statement, maxRows);
        query.Bind(schema);
        return query;
    }

    /// <summary>A select-list entry: its name and either the expression to evaluate or the column it passes through.</summary>
    private sealed record Output(string Name, BoundExpression? Expression, string? Column);
}
