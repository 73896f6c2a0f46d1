namespace Fleet.Protocol;

/// <summary>
/// How much one <c>fleet apply</c> may carry in its one request (ApplyAll). The CLI refuses a larger input before
/// sending it and the hub refuses a larger request, both with these numbers; the hub's receive limit for the admin
/// API is sized from them, so a request within them is never cut off by gRPC.
/// </summary>
public static class ApplyLimits
{
    /// <summary>One document (as before: the hub's single-document Apply has the same bound).</summary>
    public const int MaxDocumentBytes = 2 * 1024 * 1024;

    /// <summary>Documents in one apply.</summary>
    public const int MaxDocuments = 1000;

    /// <summary>The YAML of all documents of one apply together, in UTF-8 bytes as the request carries it.</summary>
    public const int MaxTotalBytes = 32 * 1024 * 1024;

    /// <summary>What the admin API receives in one message: the documents plus room for their framing.</summary>
    public const int MaxRequestBytes = MaxTotalBytes + 4 * 1024 * 1024;

    /// <summary>Why an input of <paramref name="documents"/> documents and <paramref name="bytes"/> bytes is too large, or null.</summary>
    public static string? TooLarge(int documents, long bytes) =>
        documents > MaxDocuments
            ? $"{documents} documents in one apply; at most {MaxDocuments} are applied together: split the input"
            : bytes > MaxTotalBytes
                ? $"{bytes} bytes of YAML in one apply; at most {MaxTotalBytes} are applied together: split the input"
                : null;
}
