namespace OrleansMl.Data.Expressions.Evaluation;

/// <summary>What a timestamp function takes from a time (UTC): a calendar field, or the time cut down to the start of a unit.</summary>
internal enum TimestampPart
{
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    DayOfWeek,
    DayOfYear,
    TruncYear,
    TruncQuarter,
    TruncMonth,
    TruncWeek,
    TruncDay,
    TruncHour,
    TruncMinute,
    TruncSecond,
}
