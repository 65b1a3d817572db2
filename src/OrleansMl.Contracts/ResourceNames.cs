using OrleansMl.Workspaces;

namespace OrleansMl;

/// <summary>The one naming rule of workspaces, datasets, experiments and models (see <see cref="WorkspaceValidation.IsValidName"/>).</summary>
public static class ResourceNames
{
    /// <summary>Returns <paramref name="name"/>, or throws a field error saying what a valid name looks like.</summary>
    /// <param name="kind">dataset, experiment, model: for the message.</param>
    public static string Validate(string name, string kind, string field = "name") =>
        WorkspaceValidation.IsValidName(name)
            ? name
            : throw FieldError.Invalid($"'{name}' is not a valid {kind} name: 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.", field);
}
