namespace OrleansMl.Client;

/// <summary>Splits a version deterministically into a train and a test dataset (same version and seed, same split).</summary>
/// <param name="TestFraction">The share of rows that go to the test dataset.</param>
/// <param name="Seed">The hash seed (server default 42).</param>
/// <param name="Version">The version to split (the latest when null).</param>
/// <param name="TrainDataset">Default <c>{name}-train</c>.</param>
/// <param name="TestDataset">Default <c>{name}-test</c>.</param>
public sealed record SplitRequest(double TestFraction, long? Seed = null, int? Version = null, string? TrainDataset = null, string? TestDataset = null);
