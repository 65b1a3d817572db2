namespace OrleansMl;

/// <summary>
/// Builds the <see cref="ArgumentException"/> a grain throws for an invalid request field. The field
/// name also goes into <see cref="Exception.Data"/>, which (unlike ParamName) crosses a grain call,
/// so the gateway's 400 can name the field.
/// </summary>
public static class FieldError
{
    public const string DataKey = "orleansml.field";

    public static ArgumentException Invalid(string message, string field, Exception? inner = null)
    {
        var error = new ArgumentException(message, field, inner);
        error.Data[DataKey] = field;
        return error;
    }

    /// <summary>The field an exception is about: its ParamName or the field carried in its data.</summary>
    public static string? FieldOf(ArgumentException exception) =>
        exception.ParamName ?? exception.Data[DataKey] as string;
}
