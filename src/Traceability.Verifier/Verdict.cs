namespace Traceability.Verifier;

/// <summary>The one-word answer of a verification (see <see cref="DocumentVerifier.Precedence"/>).</summary>
public enum Verdict
{
    /// <summary>The document is what was anchored, by an authority, current, unflagged, with a sound and fully traced lineage.</summary>
    Verified,

    /// <summary>The chain knows no such record: a forged number or an invented (or altered, for parcels) document.</summary>
    NotFound,

    /// <summary>The chain knows the number, but the document's content differs from what was anchored, whatever signature it carries.</summary>
    Tampered,

    /// <summary>The content matches, but its signer is not an authority of the exporter, or the number is not the exporter's.</summary>
    Unauthorized,

    /// <summary>The document was made for another deployment (another chain id or registry) than the one it was checked against.</summary>
    OtherDeployment,

    /// <summary>The document is what was anchored, but it breaks the KP rules (Annex I): its authority bypassed the checks.</summary>
    Invalid,

    /// <summary>A check that matters could not be settled (a walk cut at its bound, documents missing): the report says what would settle it.</summary>
    Inconclusive,

    /// <summary>The exporting authority voided the certificate.</summary>
    Voided,

    /// <summary>The certificate expired before its import was confirmed.</summary>
    Expired,

    /// <summary>Governance flagged the record or one of its ancestors as suspicious or fraudulent.</summary>
    Flagged,

    /// <summary>A parcel's lineage does not hold: unknown ancestors, wrong claimed parents, carats that grow, origins that do not add up.</summary>
    BrokenLineage,

    /// <summary>The chain checks hold, but the importer's origin policy refuses the lineage: a restricted origin, a parcel outside a compliant zone, or an untraced part it does not accept.</summary>
    Restricted,
}

/// <summary>The outcome of one named check.</summary>
public enum CheckStatus
{
    /// <summary>Holds.</summary>
    Pass,

    /// <summary>Does not hold.</summary>
    Fail,

    /// <summary>Could not be decided although it matters (a document missing, a walk cut): the verdict is at best Inconclusive.</summary>
    Unknown,

    /// <summary>Not asked for (for example carats, when no ancestor documents were given at all).</summary>
    Skipped,
}

/// <summary>One named check and why it came out as it did.</summary>
/// <param name="Name">A stable name, for example "certificate.registered".</param>
/// <param name="Status">Pass, fail or unknown.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="FailVerdict">The verdict a failure of this check leads to.</param>
public sealed record Check(string Name, CheckStatus Status, string Reason, Verdict FailVerdict = Verdict.BrokenLineage);
