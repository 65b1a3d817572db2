using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansMl.Bench.Serving;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PredictRequest))]
[JsonSerializable(typeof(PredictResponse))]
internal sealed partial class FloorJsonContext : JsonSerializerContext;
