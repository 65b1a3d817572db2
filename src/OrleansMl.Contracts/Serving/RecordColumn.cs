namespace OrleansMl.Serving;

/// <summary>
/// One raw input column of the records to score, by type: int64 and timestamp (UTC microseconds) in
/// <see cref="Integers"/>, float64 in <see cref="Numbers"/>, boolean in <see cref="Flags"/>, string and
/// categorical in <see cref="Texts"/>, vectors laid end to end in <see cref="Vectors"/>. Exactly one is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("orleansml.RecordColumn")]
public sealed record RecordColumn(
    [property: Id(0)] string Name,
    [property: Id(1)] long[]? Integers = null,
    [property: Id(2)] double[]? Numbers = null,
    [property: Id(3)] bool[]? Flags = null,
    [property: Id(4)] string[]? Texts = null,
    [property: Id(5)] float[]? Vectors = null);
