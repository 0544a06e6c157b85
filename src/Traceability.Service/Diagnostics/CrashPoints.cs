namespace Traceability.Service.Diagnostics;

/// <summary>
/// Named points between two durable steps where a crash must lose nothing. When the environment
/// variable <c>KP_TEST_CRASH_AT</c> names one, the process kills itself there with SIGKILL (no
/// cleanup, no flush): the tests use it to prove the crash windows safe, which no timing of an outside
/// kill could hit reliably. Unset (always, outside tests), a point costs one comparison.
/// </summary>
public static class CrashPoints
{
    /// <summary>A drop file was moved out of the inbox into the service's own staging folder, not yet stored.</summary>
    public const string Staged = "intake-staged";

    /// <summary>
    /// A drop file's documents (or a chunk of its lines) are stored, validated: pending, or rejected (an oversized or invalid one,
    /// a duplicate); the rejected area is not yet written, the file not yet kept or removed.
    /// </summary>
    public const string Stored = "intake-stored";

    /// <summary>
    /// A chunk of a drop file's documents (<see cref="Store.RecordStore.ReceiveChunk"/>) is committed, not yet flushed, the next chunk
    /// not yet stored: the file is still the service's to read again.
    /// </summary>
    public const string ChunkStored = "intake-chunk-stored";

    /// <summary>A record refused after it was stored (by the pre-check or the chain): its document and reason are in the rejected area, the rejection not yet committed to the store.</summary>
    public const string RejectWritten = "reject-written";

    /// <summary>A batch and its records are marked submitted; its transaction is not yet signed or sent.</summary>
    public const string BatchStarted = "batch-started";

    /// <summary>A batch's transaction is sent and its hash recorded while earlier batches still await their receipts.</summary>
    public const string SentBehindOthers = "batch-sent-behind-others";

    /// <summary>A batch's receipt says mined; the batch is not yet marked confirmed.</summary>
    public const string BatchMined = "batch-mined";

    private static readonly string? Armed = Environment.GetEnvironmentVariable("KP_TEST_CRASH_AT");

    /// <summary>Dies here with SIGKILL if <paramref name="point"/> is the armed point.</summary>
    public static void Hit(string point)
    {
        if (Armed is null || !string.Equals(Armed, point, StringComparison.Ordinal)) return;
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
    }
}
