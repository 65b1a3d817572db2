using OrleansMl.Data.Schema;

namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>
/// year(ts), month(ts), … (int64) and date_trunc('unit', ts) (timestamp) over microseconds since the
/// Unix epoch, in UTC: the calendar of <see cref="DateTime"/>, weeks starting on Monday (ISO) and
/// day of week 0 = Sunday, as DuckDB counts them.
/// </summary>
internal sealed class TimestampPartNode(TimestampPart part, PrimitiveNode<long> operand)
    : PrimitiveNode<long>(part >= TimestampPart.TruncYear ? ColumnType.Timestamp : ColumnType.Int64)
{
    public override Values<long> Evaluate(EvaluationContext context)
    {
        var x = operand.Evaluate(context);
        if (x.IsScalar)
        {
            return x.IsNull ? Values<long>.Null : Values<long>.Constant(Apply(part, x.Scalar));
        }

        var result = Values<long>.Reuse(context, x);
        var values = result.Writable;
        var source = x.Span;
        var nulls = x.Nulls;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = nulls is not null && nulls[i] ? 0 : Apply(part, source[i]);
        }

        x.Release(result);
        return result.WithNulls(nulls);
    }

    public static long Apply(TimestampPart part, long microseconds)
    {
        var time = DateTime.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond);
        return part switch
        {
            TimestampPart.Year => time.Year,
            TimestampPart.Month => time.Month,
            TimestampPart.Day => time.Day,
            TimestampPart.Hour => time.Hour,
            TimestampPart.Minute => time.Minute,
            TimestampPart.Second => time.Second,
            TimestampPart.DayOfWeek => (long)time.DayOfWeek,
            TimestampPart.DayOfYear => time.DayOfYear,
            TimestampPart.TruncYear => Micros(new DateTime(time.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            TimestampPart.TruncQuarter => Micros(new DateTime(time.Year, ((time.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            TimestampPart.TruncMonth => Micros(new DateTime(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc)),
            TimestampPart.TruncWeek => Micros(time.Date.AddDays(-(((int)time.DayOfWeek + 6) % 7))),
            TimestampPart.TruncDay => Micros(time.Date),
            TimestampPart.TruncHour => Micros(time.Date.AddHours(time.Hour)),
            TimestampPart.TruncMinute => Micros(time.Date.AddHours(time.Hour).AddMinutes(time.Minute)),
            _ => Micros(time.Date.AddHours(time.Hour).AddMinutes(time.Minute).AddSeconds(time.Second)),
        };
    }

    private static long Micros(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
}
