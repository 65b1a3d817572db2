namespace OrleansMl.Cli;

/// <summary>What the process exit code tells a script.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>Anything else: a failed import or run, an unexpected server or client error.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong: an unknown command or option, a missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>The platform refused the request (a 4xx other than 404): the problem names the field.</summary>
    public const int Rejected = 3;

    /// <summary>The dataset, experiment, run, model or endpoint does not exist.</summary>
    public const int NotFound = 4;

    /// <summary>The platform did not answer, or answered that it is unavailable (502, 503, 504).</summary>
    public const int Unavailable = 5;
}
