using Traceability.Verifier;

namespace Traceability.Lab.Research.Replay;

/// <summary>The frauds a replay mixes in: one class for each way a document can lie that the verifier knows.</summary>
public enum AttackClass
{
    /// <summary>A genuine certificate under an invented number.</summary>
    Forged,

    /// <summary>A genuine certificate with its value changed (signature removed).</summary>
    Tampered,

    /// <summary>A genuine signed certificate with its carats changed, the authority's signature kept.</summary>
    SignedAndAltered,

    /// <summary>The genuine anchored content under the signature of an account that is no authority.</summary>
    UnauthorizedSigner,

    /// <summary>A new certificate over parcels already exported on another certificate: the registry refuses it.</summary>
    ReusedParcel,

    /// <summary>A genuine certificate with an unregistered parcel slipped in.</summary>
    SmuggledParcel,

    /// <summary>A hub's split whose outputs weigh more than its inputs (anchored: the chain holds hashes), re-exported with its documents.</summary>
    SplitInflation,

    /// <summary>A certificate issued and never confirmed before its expiry.</summary>
    Expired,

    /// <summary>A certificate its exporting authority voided.</summary>
    Voided,

    /// <summary>A certificate over goods whose origin parcel governance flagged.</summary>
    FlaggedAncestor,

    /// <summary>A re-export presented with a transformation document that claims other parents than the chain recorded.</summary>
    WrongParents,
}

/// <summary>What the verifier must say of each attack class.</summary>
public static class AttackVerdicts
{
    /// <summary>The verdict an importer must get for a document of <paramref name="attack"/>.</summary>
    public static Verdict Expected(AttackClass attack) => attack switch
    {
        AttackClass.Forged => Verdict.NotFound,
        AttackClass.Tampered => Verdict.Tampered,
        AttackClass.SignedAndAltered => Verdict.Tampered,
        AttackClass.UnauthorizedSigner => Verdict.Unauthorized,
        AttackClass.ReusedParcel => Verdict.NotFound,
        AttackClass.SmuggledParcel => Verdict.Tampered,
        AttackClass.SplitInflation => Verdict.BrokenLineage,
        AttackClass.Expired => Verdict.Expired,
        AttackClass.Voided => Verdict.Voided,
        AttackClass.FlaggedAncestor => Verdict.Flagged,
        AttackClass.WrongParents => Verdict.BrokenLineage,
        _ => throw new ArgumentOutOfRangeException(nameof(attack), attack, null),
    };
}
