using System.Text.Json.Serialization;

namespace OrleansMl.Hosting.GrainStorage;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(GrainStateFileHeader))]
internal sealed partial class GrainStateJsonContext : JsonSerializerContext;
