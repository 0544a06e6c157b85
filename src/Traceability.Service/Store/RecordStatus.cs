namespace Traceability.Service.Store;

/// <summary>Where a received record stands.</summary>
public static class RecordStatus
{
    /// <summary>Stored, not yet validated.</summary>
    public const string Received = "received";

    /// <summary>Valid, waiting for a batch (or for its parents to be anchored).</summary>
    public const string Pending = "pending";

    /// <summary>In a batch transaction that is sent and not yet confirmed.</summary>
    public const string Submitted = "submitted";

    /// <summary>Anchored, with the configured confirmations.</summary>
    public const string Confirmed = "confirmed";

    /// <summary>Refused (by the KP rules or the chain), kept with its reason.</summary>
    public const string Rejected = "rejected";

    /// <summary>All, in pipeline order.</summary>
    public static readonly string[] All = [Received, Pending, Submitted, Confirmed, Rejected];
}

/// <summary>A document as it arrives.</summary>
/// <param name="Source">Where it came from: a drop-folder file name, or "kp submit".</param>
/// <param name="Document">Its bytes.</param>
/// <param name="RejectedAs">When set, the document is stored already rejected with this reason (for example, too large to keep).</param>
/// <param name="Key">
/// What makes this arrival one (default: the source and the bytes' SHA-256). The drop folder gives each
/// file it takes a key of its own, so a file read again after a crash is recognised, while the same
/// file dropped again later is a new arrival.
/// </param>
public sealed record IncomingDocument(string Source, byte[] Document, (string Rule, string Field, string Reason)? RejectedAs = null, string? Key = null);

/// <summary>A stored record.</summary>
public sealed record StoredRecord
{
    /// <summary>Row id (arrival order).</summary>
    public required long Id { get; init; }

    /// <summary>Where it came from.</summary>
    public required string Source { get; init; }

    /// <summary>Status (see <see cref="RecordStatus"/>).</summary>
    public required string Status { get; init; }

    /// <summary>The document's bytes.</summary>
    public byte[] Document { get; init; } = [];

    /// <summary>Record kind once parsed.</summary>
    public string? Kind { get; init; }

    /// <summary>EIP-712 hash once parsed.</summary>
    public string? RecordHash { get; init; }

    /// <summary>Broken rule, when rejected.</summary>
    public string? Rule { get; init; }

    /// <summary>Offending field, when rejected.</summary>
    public string? Field { get; init; }

    /// <summary>Why it was rejected.</summary>
    public string? Reason { get; init; }

    /// <summary>Batch it went in.</summary>
    public long? BatchId { get; init; }

    /// <summary>Transaction that anchored it.</summary>
    public string? TransactionHash { get; init; }

    /// <summary>Block of that transaction.</summary>
    public long? BlockNumber { get; init; }

    /// <summary>Arrival time, Unix milliseconds.</summary>
    public long ReceivedAt { get; init; }
}
