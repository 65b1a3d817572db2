using System.Net.Http.Headers;
using System.Text.Json;

namespace OrleansMl.Client;

/// <summary>
/// A request body that can make a fresh <see cref="HttpContent"/> for every try: JSON is serialized once
/// into a buffer; a seekable stream is read again from where it stood; a non-seekable stream can be
/// sent only once, so calls with one are not retried.
/// </summary>
internal sealed class RequestBody
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    private readonly byte[]? _json;
    private readonly Stream? _stream;
    private readonly long _start;
    private readonly MediaTypeHeaderValue _streamType;

    private RequestBody(byte[]? json, Stream? stream, MediaTypeHeaderValue? streamType = null)
    {
        _json = json;
        _stream = stream;
        _start = stream is { CanSeek: true } ? stream.Position : 0;
        _streamType = streamType ?? OctetStream;
    }

    /// <summary>No body.</summary>
    public static RequestBody None { get; } = new(null, null);

    /// <summary>Whether the body can be sent again, so that the call may be retried.</summary>
    public bool IsReplayable => _stream is null || _stream.CanSeek;

    public static RequestBody Json<T>(T value) => new(JsonSerializer.SerializeToUtf8Bytes(value, ClientJson.Options), null);

    public static RequestBody Utf8Json(byte[] json) => new(json, null);

    /// <param name="contentType">The body's media type; default <c>application/octet-stream</c>.</param>
    public static RequestBody Stream(Stream content, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.CanRead
            ? new(null, content, contentType is null ? null : MediaTypeHeaderValue.Parse(contentType))
            : throw new ArgumentException("The stream must be readable.", nameof(content));
    }

    public HttpContent? CreateContent()
    {
        if (_json is not null)
        {
            var content = new ByteArrayContent(_json);
            content.Headers.ContentType = JsonMediaType;
            return content;
        }

        if (_stream is not null)
        {
            var content = new ReplayableStreamContent(_stream, _start);
            content.Headers.ContentType = _streamType;
            return content;
        }

        return null;
    }
}
