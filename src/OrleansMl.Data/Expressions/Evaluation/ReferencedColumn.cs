using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>A column an expression reads, with the type it was bound with. Its index in the bound expression's list is its slot.</summary>
internal sealed record ReferencedColumn(string Name, ColumnType Type);
