namespace OrleansMl.Data.Formats.Csv;

/// <summary>
/// Picks the delimiter among , tab ; | from the first lines: the candidate that appears the same
/// (non-zero) number of times on every complete line, preferring the most frequent; quoted text is ignored.
/// </summary>
internal static class CsvDelimiterDetector
{
    private static readonly byte[] Candidates = [(byte)',', (byte)'\t', (byte)';', (byte)'|'];

    public static byte Detect(ReadOnlySpan<byte> head, int maxLines = 50)
    {
        Span<int> firstCount = stackalloc int[Candidates.Length];
        Span<int> lineCount = stackalloc int[Candidates.Length];
        Span<bool> consistent = stackalloc bool[Candidates.Length];
        consistent.Fill(true);
        var lines = 0;
        var quoted = false;
        for (var i = 0; i < head.Length && lines < maxLines; i++)
        {
            var b = head[i];
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (!quoted && b == (byte)'\n')
            {
                for (var c = 0; c < Candidates.Length; c++)
                {
                    if (lines == 0)
                    {
                        firstCount[c] = lineCount[c];
                    }
                    else if (lineCount[c] != firstCount[c])
                    {
                        consistent[c] = false;
                    }
                }

                lineCount.Clear();
                lines++;
            }
            else if (!quoted && Candidates.AsSpan().IndexOf(b) is >= 0 and var candidate)
            {
                lineCount[candidate]++;
            }
        }

        if (lines == 0)
        {
            firstCount = lineCount; // a single line without a newline
        }

        var best = -1;
        for (var c = 0; c < Candidates.Length; c++)
        {
            if (consistent[c] && firstCount[c] > 0 && (best < 0 || firstCount[c] > firstCount[best]))
            {
                best = c;
            }
        }

        return best < 0 ? (byte)',' : Candidates[best];
    }
}
