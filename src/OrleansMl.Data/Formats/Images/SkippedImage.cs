namespace OrleansMl.Data.Formats.Images;

/// <summary>A file that <see cref="ImageFolderDatasetReader"/> left out under <see cref="BadRecordPolicy.Skip"/>.</summary>
/// <param name="Path">The path relative to the root folder, with forward slashes.</param>
/// <param name="Reason">Why it could not be read.</param>
public sealed record SkippedImage(string Path, string Reason);
