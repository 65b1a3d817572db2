namespace OrleansMl.Client;

/// <summary>One server-sent event: its type (<c>message</c> unless named) and its data lines joined by '\n'.</summary>
internal readonly record struct ServerSentEvent(string Type, string Data);
