using System.Collections.Immutable;
using Traceability.Core.Participants;

namespace Traceability.Core.Policies;

/// <summary>
/// An importer's rules on where the diamonds of a shipment may come from, applied to the lineage the
/// chain traces (kp verify --policy, the portal): origins it refuses outright, rules an origin's
/// parcels must meet, and what it does with a lineage that cannot be traced to its origins.
/// Read with <see cref="PolicyJson"/>.
/// </summary>
/// <param name="Name">A label for people, for example "EU import screening".</param>
/// <param name="RestrictedOrigins">Origins whose diamonds the importer refuses, however mixed (for example RU).</param>
/// <param name="OriginRules">Rules on the origin parcels of one origin each.</param>
/// <param name="Untraced">What to do when part of the lineage cannot be traced to a registered origin parcel.</param>
public sealed record OriginPolicy(string Name, ImmutableArray<ParticipantCode> RestrictedOrigins, ImmutableArray<OriginRule> OriginRules, UntracedRule Untraced)
{
    /// <summary>The version of the policy format this build reads and writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Whether diamonds from <paramref name="origin"/> are refused outright.</summary>
    public bool IsRestricted(ParticipantCode origin) => RestrictedOrigins.Contains(origin);

    /// <summary>The rule on parcels of <paramref name="origin"/>, if any.</summary>
    public OriginRule? RuleFor(ParticipantCode origin) => OriginRules.FirstOrDefault(r => r.Origin == origin);
}

/// <summary>
/// A rule on the origin parcels of one origin: each must come from a compliant zone the policy lists
/// (the parcel document's <c>mine</c>, its mine or zone of production, as registered), unless it
/// weighs less than <see cref="AppliesFromCarats"/>.
/// </summary>
/// <param name="Origin">The origin (participant) the rule is about, for example CF.</param>
/// <param name="CompliantZones">The mines or zones of production accepted, compared as registered, case and surrounding spaces aside.</param>
/// <param name="AppliesFromCarats">Origin parcels lighter than this (hundredths of a carat) are exempt while, together with the other light
/// parcels of the lineage from outside the compliant zones of the same origin, they stay lighter than this; 0: every parcel.</param>
public sealed record OriginRule(ParticipantCode Origin, ImmutableArray<string> CompliantZones, ulong AppliesFromCarats)
{
    /// <summary>Whether <paramref name="mine"/> (a parcel document's mine) is one of the compliant zones.</summary>
    public bool IsCompliantZone(string mine) =>
        CompliantZones.Any(z => string.Equals(z.Trim(), mine.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>What a policy does when part of a lineage cannot be traced to a registered origin parcel.</summary>
public enum UntracedAction
{
    /// <summary>Any untraced part refuses the shipment (Restricted).</summary>
    Refuse,

    /// <summary>An untraced part is accepted while its share of the shipment's carats stays below <see cref="UntracedRule.MaxShare"/>.</summary>
    AcceptBelowShare,
}

/// <summary>What a policy does with an untraced part of a lineage.</summary>
/// <param name="Action">Refuse, or accept below a share.</param>
/// <param name="MaxShare">For <see cref="UntracedAction.AcceptBelowShare"/>: the share of the shipment's carats (0 to 1, exclusive of itself) accepted untraced.</param>
public sealed record UntracedRule(UntracedAction Action, decimal MaxShare = 0)
{
    /// <summary>Refuse any untraced part.</summary>
    public static readonly UntracedRule Refuse = new(UntracedAction.Refuse);
}
