using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace OrleansMl.Data.Formats;

/// <summary>Parses typed values straight from UTF-8 text (no string per value).</summary>
public static class Utf8Values
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ssK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);

    public static bool TryParseFloat64(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryParseBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        text = text.Trim((byte)' ');
        if (Ascii.EqualsIgnoreCase(text, "true"u8))
        {
            value = true;
            return true;
        }

        value = false;
        return Ascii.EqualsIgnoreCase(text, "false"u8);
    }

    /// <summary>ISO 8601 dates and date-times (T or space separator, optional fraction and offset) as UTC microseconds.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> text, out long micros)
    {
        micros = 0;
        text = text.Trim((byte)' ');
        if (text.Length is < 10 or > 40 || !LooksLikeDate(text))
        {
            return false;
        }

        Span<char> chars = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            chars[i] = (char)text[i];
        }

        return TryParseTimestamp(chars, out micros);
    }

    public static bool TryParseTimestamp(ReadOnlySpan<char> text, out long micros)
    {
        micros = 0;
        if (!DateTimeOffset.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        micros = (parsed.UtcTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
        return true;
    }

    /// <summary>Decodes UTF-8, or returns null when the bytes are not valid UTF-8.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> text) => Utf8.IsValid(text) ? Encoding.UTF8.GetString(text) : null;

    /// <summary>The byte offset of the first invalid UTF-8 sequence, or -1.</summary>
    public static int InvalidUtf8Offset(ReadOnlySpan<byte> text)
    {
        if (Utf8.IsValid(text))
        {
            return -1;
        }

        var status = Utf8.ToUtf16(text, new char[text.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.InvalidData ? read : text.Length;
    }

    /// <summary>A short, printable excerpt of a value for error messages.</summary>
    public static string Excerpt(ReadOnlySpan<byte> text, int max = 40)
    {
        var decoded = Encoding.UTF8.GetString(text.Length > max * 4 ? text[..(max * 4)] : text);
        return decoded.Length > max ? string.Concat(decoded.AsSpan(0, max), "…") : decoded;
    }

    private static bool LooksLikeDate(ReadOnlySpan<byte> t) =>
        char.IsAsciiDigit((char)t[0]) && char.IsAsciiDigit((char)t[1]) && char.IsAsciiDigit((char)t[2]) && char.IsAsciiDigit((char)t[3])
        && t[4] == (byte)'-' && char.IsAsciiDigit((char)t[5]) && char.IsAsciiDigit((char)t[6]) && t[7] == (byte)'-';
}
