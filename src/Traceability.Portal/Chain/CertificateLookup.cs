using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Portal.Hosting;

namespace Traceability.Portal.Chain;

/// <summary>What a lookup says of a certificate as a word: the printed code's answer.</summary>
public enum LookupStatus
{
    /// <summary>The exporter never issued this number on this registry.</summary>
    NotFound,

    /// <summary>Issued, not yet confirmed, not expired.</summary>
    Issued,

    /// <summary>Its import was confirmed.</summary>
    Confirmed,

    /// <summary>The exporting authority voided it.</summary>
    Voided,

    /// <summary>Issued and past its expiry without an import confirmation.</summary>
    Expired,
}

/// <summary>A certificate as the chain knows it, for a lookup from a printed code.</summary>
/// <param name="Exporter">The exporting participant.</param>
/// <param name="Number">The certificate number asked for.</param>
/// <param name="NumberHash">keccak256 of the number.</param>
/// <param name="Status">The answer in one word.</param>
/// <param name="Flag">Governance's flag (None when not flagged).</param>
/// <param name="Importer">The importing participant, when issued.</param>
/// <param name="ParcelCount">Parcels it covers.</param>
/// <param name="ExpiresAt">Expiry, Unix seconds (0 when not issued).</param>
/// <param name="AnchoredHash">The certificate's EIP-712 hash as anchored (from its CertificateIssued event).</param>
/// <param name="PrintedHash">The hash printed with the code (h), when given.</param>
/// <param name="Events">Its events, oldest first.</param>
/// <param name="Block">The block read.</param>
/// <param name="BlockTime">That block's time, Unix seconds.</param>
public sealed record CertificateLookupResult(ParticipantCode Exporter, string Number, Hash32 NumberHash, LookupStatus Status, RecordFlag Flag,
    ParticipantCode? Importer, int ParcelCount, ulong ExpiresAt, Hash32? AnchoredHash, Hash32? PrintedHash, IReadOnlyList<CertificateEvent> Events,
    ulong Block, ulong BlockTime)
{
    /// <summary>Whether the chain knows the certificate.</summary>
    public bool Exists => Status != LookupStatus.NotFound;

    /// <summary>Whether the printed hash equals the anchored one (null when none was printed or nothing is anchored).</summary>
    public bool? HashMatches => PrintedHash is { } p && AnchoredHash is { } a ? p == a : null;
}

/// <summary>Looks certificates up by exporter and number (one pinned read of the state and its events, and the block's time).</summary>
public sealed class CertificateLookup(PortalChain chain)
{
    /// <summary>Longest certificate number accepted in a lookup.</summary>
    public const int MaxNumberLength = 64;

    /// <summary>Parses the parts of a lookup; a bad one is a <see cref="PortalInputException"/> naming it.</summary>
    public static (ParticipantCode Exporter, string Number, Hash32? Printed) Parse(string exporter, string number, string? h)
    {
        if (!ParticipantCode.TryParse(exporter, out var code)) throw new PortalInputException("exporter", $"'{Cut(exporter)}' is not a participant code (two capital letters, for example BW)");
        if (number.Length is 0 or > MaxNumberLength || number.Any(char.IsControl))
        {
            throw new PortalInputException("number", $"a certificate number has 1 to {MaxNumberLength} printable characters");
        }
        Hash32? printed = null;
        if (!string.IsNullOrEmpty(h))
        {
            if (!Hash32.TryParse(h, out var parsed)) throw new PortalInputException("h", $"'{Cut(h)}' is not a content hash (0x and 64 hex digits)");
            printed = parsed;
        }
        return (code, number, printed);
    }

    /// <summary>Reads the certificate <paramref name="number"/> of <paramref name="exporter"/>.</summary>
    public Task<CertificateLookupResult> LookupAsync(ParticipantCode exporter, string number, Hash32? printed, CancellationToken aborted) =>
        chain.ReadAsync(async ct =>
        {
            var history = chain.History;
            var numberHash = Keccak.Hash(number);
            var found = await history.CertificateAsync(exporter, numberHash, ct).ConfigureAwait(false);
            var time = (await history.BlockTimesAsync([found.Block], ct).ConfigureAwait(false))[found.Block];
            var state = found.State;
            var issued = found.Events.FirstOrDefault(e => e.Kind == CertificateEventKind.Issued);
            var status = state.Status switch
            {
                CertificateStatus.Confirmed => LookupStatus.Confirmed,
                CertificateStatus.Voided => LookupStatus.Voided,
                CertificateStatus.Issued when time > state.ExpiresAt => LookupStatus.Expired,
                CertificateStatus.Issued => LookupStatus.Issued,
                _ => LookupStatus.NotFound,
            };
            return new CertificateLookupResult(exporter, number, numberHash, status, state.Flag, state.Importer ?? issued?.Importer,
                state.ParcelCount, state.ExpiresAt, issued?.RecordHash, printed, found.Events, found.Block, time);
        }, aborted);

    private static string Cut(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
