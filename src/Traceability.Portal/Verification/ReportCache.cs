using System.Collections.Concurrent;
using System.Security.Cryptography;
using Traceability.Core.Json;
using Traceability.Core.Policies;
using Traceability.Verifier;

namespace Traceability.Portal.Verification;

/// <summary>
/// Reports of the chain's current head: a verification is a pure function of the documents and the block it
/// reads, so the same documents asked again while the head has not moved get the report already made (one
/// round trip, for the head, instead of a walk). Keyed by the documents' exact bytes (as the strict reader
/// writes them, signature included) and the block the report was checked against; emptied when a new block
/// appears. Bounded: past <see cref="Capacity"/> entries nothing more is kept until the next block.
/// </summary>
/// <param name="capacity">How many reports one block may keep (0: no cache).</param>
public sealed class ReportCache(int capacity)
{
    private readonly ConcurrentDictionary<string, VerificationReport> _reports = new(StringComparer.Ordinal);
    private string? _head;
    private readonly Lock _gate = new();

    /// <summary>How many reports one block may keep (0: no cache).</summary>
    public int Capacity { get; } = capacity;

    /// <summary>The key of a request's documents: SHA-256 of their canonical JSON, in order, and of the policy applied.</summary>
    public static string KeyOf(DocumentSet documents)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var r in documents.Ancestors.Prepend(documents.Document))
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(RecordJson.Write(r)));
            sha.AppendData([0]);
        }
        if (documents.Policy is { } policy) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(PolicyJson.Write(policy))); // another policy, another report
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The report of <paramref name="key"/> made at <paramref name="head"/> (the chain's current head block hash), if kept.</summary>
    public VerificationReport? Find(string key, string head)
    {
        if (Capacity == 0) return null;
        lock (_gate)
        {
            if (!string.Equals(head, _head, StringComparison.OrdinalIgnoreCase)) return null;
        }
        return _reports.TryGetValue(key, out var report) ? report : null;
    }

    /// <summary>Keeps <paramref name="report"/> under the block it was checked against (a newer head empties the cache).</summary>
    public void Keep(string key, VerificationReport report)
    {
        if (Capacity == 0) return;
        var block = report.CheckedAgainst.BlockHash;
        lock (_gate)
        {
            if (!string.Equals(block, _head, StringComparison.OrdinalIgnoreCase))
            {
                _reports.Clear();
                _head = block;
            }
            if (_reports.Count < Capacity) _reports[key] = report;
        }
    }
}
