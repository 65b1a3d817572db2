namespace OrleansMl.Data.Schema;

/// <summary>A schema is invalid, or an operation names a column or type the schema does not have.</summary>
public sealed class SchemaException(string message, Exception? inner = null) : Exception(message, inner);
