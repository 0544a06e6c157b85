using Traceability.Core.Participants;
using Traceability.Core.Primitives;

namespace Traceability.Verifier.Policy;

/// <summary>What an origin policy found in a lineage (the checks named policy.* say whether it passes).</summary>
/// <param name="Name">The policy's name.</param>
/// <param name="Findings">The origin parcels (or untraced edges) a rule of the policy caught, each with its path to the shipment.</param>
public sealed record PolicyOutcome(string Name, IReadOnlyList<PolicyFinding> Findings);

/// <summary>The rule of a policy a finding is about.</summary>
public enum PolicyRuleKind
{
    /// <summary>An origin parcel registered in a restricted origin.</summary>
    RestrictedOrigin,

    /// <summary>An origin parcel outside the compliant zones its origin's rule lists.</summary>
    CompliantZone,

    /// <summary>A parcel where the lineage could not be traced further (a walk cut, an origin parcel whose registration was not found).</summary>
    Untraced,
}

/// <summary>One parcel a policy rule caught, and how it reaches the shipment.</summary>
/// <param name="Rule">The rule that caught it.</param>
/// <param name="Parcel">The offending origin parcel (or the parcel where tracing stopped).</param>
/// <param name="Origin">The participant it was registered in, when known.</param>
/// <param name="Mine">Its mine or zone as its document states, when given.</param>
/// <param name="Paths">Up to three paths of parcels from a shipment parcel down to it (shipment first).</param>
/// <param name="Share">Its share of the shipment's carats (0 to 1), when the documents allow (a transformation is taken to mix its inputs evenly into its outputs).</param>
/// <param name="Carats">The shipment's carats that came from it (hundredths of a carat), when the share and the shipment's weight are known.</param>
public sealed record PolicyFinding(PolicyRuleKind Rule, Hash32 Parcel, ParticipantCode? Origin, string? Mine, IReadOnlyList<IReadOnlyList<Hash32>> Paths,
    decimal? Share, ulong? Carats);
