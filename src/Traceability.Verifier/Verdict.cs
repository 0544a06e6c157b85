namespace Traceability.Verifier;

/// <summary>The one-word answer of a verification, worst first in precedence.</summary>
public enum Verdict
{
    /// <summary>The document is what was anchored, by an authority, current, unflagged, with a sound lineage.</summary>
    Verified,

    /// <summary>The chain knows no such record: a forged number or an invented document.</summary>
    NotFound,

    /// <summary>The chain knows the number, but the document's content differs from what was anchored.</summary>
    Tampered,

    /// <summary>Signed by someone who is not an authority of the exporting participant.</summary>
    Unauthorized,

    /// <summary>The exporting authority voided the certificate.</summary>
    Voided,

    /// <summary>The certificate expired before its import was confirmed.</summary>
    Expired,

    /// <summary>Governance flagged the record or one of its ancestors as suspicious or fraudulent.</summary>
    Flagged,

    /// <summary>A parcel's lineage does not hold: unknown ancestors, wrong claimed parents, carats that grow, origins that do not add up.</summary>
    BrokenLineage,
}

/// <summary>The outcome of one named check.</summary>
public enum CheckStatus
{
    /// <summary>Holds.</summary>
    Pass,

    /// <summary>Does not hold.</summary>
    Fail,

    /// <summary>Could not be decided (for example, ancestor documents were not given).</summary>
    Unknown,
}

/// <summary>One named check and why it came out as it did.</summary>
/// <param name="Name">A stable name, for example "certificate.registered".</param>
/// <param name="Status">Pass, fail or unknown.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="FailVerdict">The verdict a failure of this check leads to.</param>
public sealed record Check(string Name, CheckStatus Status, string Reason, Verdict FailVerdict = Verdict.BrokenLineage);
