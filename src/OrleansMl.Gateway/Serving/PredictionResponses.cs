using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Serving;

/// <summary>Writes predictions straight to the response body: the v1 records answer and the Open Inference Protocol v2 answer.</summary>
public static class PredictionResponses
{
    /// <summary>
    /// <c>{"endpoint", "model", "version", "predictions": [{"label", "scores"} | {"prediction"}]}</c>:
    /// a class and its scores per row for classifiers, the value for regression. A version trained
    /// through fitted steps answers in class values: <c>{"label": "rain", "class": 2, "probabilities": {"drizzle": 0.1, ...}}</c>.
    /// </summary>
    /// <param name="labelType">The raw label's type (int64, boolean, float64 or text), for class values.</param>
    public static async Task WriteRecordsAsync(HttpResponse response, string endpoint, Prediction prediction, string? labelType = null)
    {
        response.ContentType = "application/json";
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("endpoint"u8, endpoint);
            json.WriteString("model"u8, prediction.Model);
            json.WriteNumber("version"u8, prediction.Version);
            json.WriteStartArray("predictions"u8);
            var width = prediction.ScoreWidth;
            var rows = prediction.Scores.Length / Math.Max(width, 1);
            var regression = prediction.Labels.Length == 0;
            for (var r = 0; r < rows; r++)
            {
                json.WriteStartObject();
                if (regression)
                {
                    json.WritePropertyName("prediction"u8);
                    WriteFloat(json, prediction.Scores[r]);
                }
                else if (prediction.Classes is { } classes)
                {
                    WriteClass(json, classes, prediction.Labels[r], prediction.Scores.AsSpan(r * width, width), labelType);
                }
                else
                {
                    json.WriteNumber("label"u8, prediction.Labels[r]);
                    json.WriteStartArray("scores"u8);
                    WriteFloats(json, prediction.Scores.AsSpan(r * width, width));
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync();
    }

    /// <summary>
    /// <c>$inference_response</c>: model_name (the endpoint), model_version, the request's id, and the
    /// outputs asked for: <c>label</c> INT64 [rows] and <c>scores</c> FP32 [rows, width], or
    /// <c>prediction</c> FP32 [rows].
    /// </summary>
    /// <param name="labelType">The raw label's type, for a version trained through fitted steps: <c>label</c> is then the class value (BYTES, INT64, FP64 or BOOL) and <c>class</c> its index.</param>
    public static async Task WriteInferenceAsync(HttpResponse response, string endpoint, Prediction prediction, InferenceRequest request, string? labelType = null)
    {
        response.ContentType = "application/json";
        var width = prediction.ScoreWidth;
        var rows = prediction.Scores.Length / Math.Max(width, 1);
        await using (var json = new Utf8JsonWriter(response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("model_name"u8, endpoint);
            json.WriteString("model_version"u8, prediction.Version.ToString(CultureInfo.InvariantCulture));
            if (request.Id is not null)
            {
                json.WriteString("id"u8, request.Id);
            }

            json.WriteStartArray("outputs"u8);
            if (prediction.Labels.Length == 0)
            {
                if (Wanted(request, "prediction"))
                {
                    WriteTensorStart(json, "prediction", "FP32", rows);
                    WriteFloats(json, prediction.Scores);
                    WriteTensorEnd(json);
                }
            }
            else
            {
                if (Wanted(request, "label") && prediction.Classes is { } classes)
                {
                    WriteTensorStart(json, "label", labelType switch { "int64" => "INT64", "float64" => "FP64", "boolean" => "BOOL", _ => "BYTES" }, rows);
                    foreach (var label in prediction.Labels)
                    {
                        WriteClassValue(json, classes[(int)label], labelType);
                    }

                    WriteTensorEnd(json);
                }
                else if (Wanted(request, "label"))
                {
                    WriteTensorStart(json, "label", "INT64", rows);
                    foreach (var label in prediction.Labels)
                    {
                        json.WriteNumberValue(label);
                    }

                    WriteTensorEnd(json);
                }

                if (prediction.Classes is not null && Wanted(request, "class"))
                {
                    WriteTensorStart(json, "class", "INT64", rows);
                    foreach (var label in prediction.Labels)
                    {
                        json.WriteNumberValue(label);
                    }

                    WriteTensorEnd(json);
                }

                if (Wanted(request, "scores"))
                {
                    WriteTensorStart(json, "scores", "FP32", rows, width);
                    WriteFloats(json, prediction.Scores);
                    WriteTensorEnd(json);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync();
    }

    /// <summary>
    /// The class value in the label's type, its index, and the probabilities keyed by class value
    /// (a binary model's one probability is that of the second class); scores that are not
    /// probabilities (a linear SVM's margin) are written as <c>scores</c>.
    /// </summary>
    private static void WriteClass(Utf8JsonWriter json, IReadOnlyList<string> classes, long label, ReadOnlySpan<float> scores, string? labelType)
    {
        json.WritePropertyName("label"u8);
        WriteClassValue(json, classes[(int)label], labelType);
        json.WriteNumber("class"u8, label);
        if (scores.Length == classes.Count)
        {
            json.WriteStartObject("probabilities"u8);
            for (var c = 0; c < classes.Count; c++)
            {
                json.WritePropertyName(classes[c]);
                WriteFloat(json, scores[c]);
            }

            json.WriteEndObject();
        }
        else if (scores.Length == 1 && classes.Count == 2 && scores[0] is >= 0 and <= 1)
        {
            json.WriteStartObject("probabilities"u8);
            json.WritePropertyName(classes[0]);
            WriteFloat(json, 1 - scores[0]);
            json.WritePropertyName(classes[1]);
            WriteFloat(json, scores[0]);
            json.WriteEndObject();
        }
        else
        {
            json.WriteStartArray("scores"u8);
            WriteFloats(json, scores);
            json.WriteEndArray();
        }
    }

    private static void WriteClassValue(Utf8JsonWriter json, string value, string? labelType)
    {
        switch (labelType)
        {
            case "int64" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole):
                json.WriteNumberValue(whole);
                break;
            case "float64" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number):
                json.WriteNumberValue(number);
                break;
            case "boolean" when bool.TryParse(value, out var flag):
                json.WriteBooleanValue(flag);
                break;
            default:
                json.WriteStringValue(value);
                break;
        }
    }

    private static bool Wanted(InferenceRequest request, string output) => request.Outputs is not { Count: > 0 } wanted || wanted.Contains(output);

    private static void WriteTensorStart(Utf8JsonWriter json, string name, string datatype, params ReadOnlySpan<int> shape)
    {
        json.WriteStartObject();
        json.WriteString("name"u8, name);
        json.WriteString("datatype"u8, datatype);
        json.WriteStartArray("shape"u8);
        foreach (var size in shape)
        {
            json.WriteNumberValue(size);
        }

        json.WriteEndArray();
        json.WriteStartArray("data"u8);
    }

    private static void WriteTensorEnd(Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFloats(Utf8JsonWriter json, ReadOnlySpan<float> values)
    {
        foreach (var value in values)
        {
            WriteFloat(json, value);
        }
    }

    /// <summary>A score as a JSON number; NaN and infinities, which JSON lacks, as null.</summary>
    private static void WriteFloat(Utf8JsonWriter json, float value)
    {
        if (float.IsFinite(value))
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteNullValue();
        }
    }
}
