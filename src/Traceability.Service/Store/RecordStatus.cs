using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Service.Store;

/// <summary>Where a received record stands in the pipeline (stored as text: see <see cref="RecordStatus"/>).</summary>
public enum RecordStage
{
    /// <summary>Stored, not yet validated.</summary>
    Received,

    /// <summary>Valid, waiting for a batch (or for its parents to be anchored).</summary>
    Pending,

    /// <summary>In a batch transaction that is sent and not yet confirmed.</summary>
    Submitted,

    /// <summary>Anchored, with the configured confirmations.</summary>
    Confirmed,

    /// <summary>Refused (by the KP rules or the chain), kept with its reason.</summary>
    Rejected,
}

/// <summary>
/// The text of each <see cref="RecordStage"/>: what the store's <c>status</c> column holds and what
/// kp status and /status print. The service itself works with <see cref="RecordStage"/>.
/// </summary>
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

    /// <summary>The text of a stage.</summary>
    public static string ToText(this RecordStage stage) => stage switch
    {
        RecordStage.Received => Received,
        RecordStage.Pending => Pending,
        RecordStage.Submitted => Submitted,
        RecordStage.Confirmed => Confirmed,
        RecordStage.Rejected => Rejected,
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>The stage of a text (the store's column); throws <see cref="FormatException"/> on any other text.</summary>
    public static RecordStage Parse(string text) => text switch
    {
        Received => RecordStage.Received,
        Pending => RecordStage.Pending,
        Submitted => RecordStage.Submitted,
        Confirmed => RecordStage.Confirmed,
        Rejected => RecordStage.Rejected,
        _ => throw new FormatException($"'{text}' is not a record status"),
    };
}

/// <summary>A record's rejection, as the store keeps it.</summary>
/// <param name="Id">The record.</param>
/// <param name="Kind">Its kind, when it could be parsed.</param>
/// <param name="Hash">Its hash, when it could be parsed.</param>
/// <param name="Rule">The broken rule (a KP rule, a contract error, "format", "duplicate", ...).</param>
/// <param name="Field">The offending field.</param>
/// <param name="Reason">A sentence for people.</param>
public sealed record Rejection(long Id, RecordKind? Kind, Hash32? Hash, string Rule, string Field, string Reason);

/// <summary>A document as it arrives.</summary>
/// <param name="Source">Where it came from: a drop-folder file name, or "kp submit".</param>
/// <param name="Document">Its bytes.</param>
/// <param name="RejectedAs">When set, the document is stored already rejected with this reason (for example, too large to keep).</param>
/// <param name="Key">
/// What makes this arrival one (default: the source and the bytes' SHA-256). The drop folder gives each
/// file it takes a key of its own, so a file read again after a crash is recognised, while the same
/// file dropped again later is a new arrival.
/// </param>
public sealed record IncomingDocument(string Source, byte[] Document, (string Rule, string Field, string Reason)? RejectedAs = null, string? Key = null)
{
    /// <summary>
    /// The document already parsed, checked and hashed by its intake (null: not yet, it is stored received and validated later).
    /// Without <see cref="RejectedAs"/> it is stored pending at once (rejected as a duplicate when an accepted record holds its
    /// hash); with it, rejected with its kind and hash.
    /// </summary>
    public (KpRecord Record, Hash32 Hash)? Validated { get; init; }
}

/// <summary>What <see cref="RecordStore.Receive"/> did with one document.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="IsNew">False when the arrival was stored before (the same key: a file read again after a crash).</param>
/// <param name="Stage">The record's stage now.</param>
public readonly record struct ReceivedRecord(long Id, bool IsNew, RecordStage Stage)
{
    /// <summary>The id and whether the arrival is new.</summary>
    public void Deconstruct(out long id, out bool isNew) => (id, isNew) = (Id, IsNew);
}

/// <summary>A stored record.</summary>
public sealed record StoredRecord
{
    /// <summary>Row id (arrival order).</summary>
    public required long Id { get; init; }

    /// <summary>Where it came from.</summary>
    public required string Source { get; init; }

    /// <summary>Where it stands.</summary>
    public required RecordStage Stage { get; init; }

    /// <summary>The document's bytes.</summary>
    public byte[] Document { get; init; } = [];

    /// <summary>Record kind once parsed.</summary>
    public RecordKind? RecordKind { get; init; }

    /// <summary>EIP-712 hash once parsed.</summary>
    public Hash32? Hash { get; init; }

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
