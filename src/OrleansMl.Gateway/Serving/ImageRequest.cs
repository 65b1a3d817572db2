using System.Globalization;
using Microsoft.AspNetCore.Http;
using OrleansMl.Data.Formats.Images;
using OrleansMl.Serving;

namespace OrleansMl.Gateway.Serving;

/// <summary>
/// Reads images sent to an endpoint whose versions were trained on an image import: one image as the
/// body (<c>image/png</c>, <c>image/jpeg</c>, <c>image/bmp</c>, <c>image/gif</c>) or several files as
/// <c>multipart/form-data</c>, each decoded and resized by the import's own <see cref="ImageDecoder"/>
/// with the import's size and channels. An image that does not decode is a 400 with the reason.
/// </summary>
public static class ImageRequest
{
    /// <summary>The largest image a request may send, in source pixels (2048 × 2048): decoding one takes 4 bytes a pixel, so a small file declaring a huge image cannot exhaust the gateway.</summary>
    public const long MaxSourcePixels = 4L << 20;

    /// <summary>The most files one multipart request may hold.</summary>
    public const int MaxFiles = 1_000;

    /// <summary>Whether the request carries images rather than JSON records.</summary>
    public static bool IsImages(HttpRequest request) =>
        request.ContentType is { } type
        && (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || type.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase));

    /// <returns>The images as rows of the endpoint's image column, in the order sent.</returns>
    public static async Task<PredictionInput> ReadAsync(HttpRequest request, EndpointInfo endpoint, CancellationToken cancellationToken)
    {
        var image = endpoint.Image ?? throw FieldError.Invalid(
            $"Endpoint '{endpoint.Name}' does not take image files: its versions were not trained through steps on an image import. Send JSON: {{ \"records\": [...] }}.", "body");
        if (endpoint.Inputs.Count != 1)
        {
            throw FieldError.Invalid(
                $"Endpoint '{endpoint.Name}' needs {string.Join(", ", endpoint.Inputs.Where(i => i.Name != image.Column).Select(i => $"'{i.Name}'"))} besides the image; send JSON records with every input.", "body");
        }

        var decoder = new ImageDecoder(image.Width, image.Height, image.Channels, MaxSourcePixels);
        var pixels = new List<float[]>();
        if (request.ContentType!.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            using var body = await RequestBody.ReadAsync(request, cancellationToken);
            pixels.Add(Decode(decoder, body.Span.ToArray(), "body", "The body"));
        }
        else
        {
            var form = await request.ReadFormAsync(cancellationToken);
            if (form.Files.Count is 0 or > MaxFiles)
            {
                throw FieldError.Invalid($"The form holds {form.Files.Count} files; attach 1 to {MaxFiles} image files, one per row.", "files");
            }

            for (var i = 0; i < form.Files.Count; i++)
            {
                var file = form.Files[i];
                using var bytes = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
                await file.CopyToAsync(bytes, cancellationToken);
                var field = string.Create(CultureInfo.InvariantCulture, $"files[{i}]");
                pixels.Add(Decode(decoder, bytes.ToArray(), field, $"{field} ('{file.FileName}')"));
            }
        }

        var values = new float[pixels.Count * decoder.Length];
        for (var i = 0; i < pixels.Count; i++)
        {
            pixels[i].CopyTo(values, i * decoder.Length);
        }

        return new PredictionInput([], pixels.Count, [new RecordColumn(image.Column, Vectors: values)]);
    }

    private static float[] Decode(ImageDecoder decoder, byte[] bytes, string field, string what)
    {
        var pixels = new float[decoder.Length];
        return decoder.Decode(bytes, pixels) is { } reason
            ? throw FieldError.Invalid($"{what} is not an image the endpoint can read: {reason}", field)
            : pixels;
    }
}
