using System.Globalization;
using Traceability.Core.Policies;
using Traceability.Core.Primitives;

namespace Traceability.Verifier.Policy;

/// <summary>
/// Applies an <see cref="OriginPolicy"/> to a lineage the chain checks walked: origin parcels registered
/// in a restricted origin, origin parcels outside their origin's compliant zones, and parts of the
/// lineage that could not be traced. Each rule is one check named policy.*, failing with
/// <see cref="Verdict.Restricted"/>; what only documents can settle (a parcel's mine, a share of
/// carats) is Unknown and names those documents.
/// </summary>
internal sealed class OriginScreen(OriginPolicy policy, IReadOnlyList<LineageNode> roots, ulong? shipmentCarats)
{
    /// <summary>At most this many findings are detailed per rule (the check's reason counts the rest).</summary>
    private const int MaxFindings = 20;

    /// <summary>The unknown chain checks an accepted untraced share settles (the policy accepts what they leave open).</summary>
    public static readonly IReadOnlySet<string> TracingChecks = new HashSet<string>(StringComparer.Ordinal) { "lineage.complete", "lineage.origins-traced", "lineage.origins" };

    public List<Check> Checks { get; } = [];

    public List<Hash32> Missing { get; } = [];

    public List<PolicyFinding> Findings { get; } = [];

    /// <summary>Whether the policy accepted an untraced part of the lineage (below its share): the unknown tracing checks are settled.</summary>
    public bool UntracedAccepted { get; private set; }

    public PolicyOutcome Run()
    {
        var leaves = Nodes().Where(n => n.Parents.Count == 0).ToList();
        var traced = leaves.Where(n => n.State.IsOrigin && n.RegisteredIn is not null).ToList();
        var untraced = leaves.Except(traced).ToList();
        CheckRestricted(traced);
        CheckRules(traced);
        CheckUntraced(untraced);
        return new PolicyOutcome(policy.Name, Findings);
    }

    private void CheckRestricted(List<LineageNode> origins)
    {
        var caught = origins.Where(o => policy.IsRestricted(o.RegisteredIn!.Value)).ToList();
        if (policy.RestrictedOrigins.Length == 0)
        {
            Checks.Add(new("policy.restricted-origins", CheckStatus.Skipped, $"policy \"{policy.Name}\" restricts no origin", Verdict.Restricted));
            return;
        }
        var list = string.Join(", ", policy.RestrictedOrigins);
        if (caught.Count == 0)
        {
            Checks.Add(new("policy.restricted-origins", CheckStatus.Pass,
                $"none of the {origins.Count} origin parcel(s) traced was registered in {list} (restricted by policy \"{policy.Name}\")", Verdict.Restricted));
            return;
        }
        var details = Report(PolicyRuleKind.RestrictedOrigin, caught);
        Checks.Add(new("policy.restricted-origins", CheckStatus.Fail,
            $"the lineage reaches {caught.Count} origin parcel(s) registered in {string.Join(", ", caught.Select(c => c.RegisteredIn!.Value).Distinct())}, " +
            $"restricted by policy \"{policy.Name}\": {details}", Verdict.Restricted));
    }

    private void CheckRules(List<LineageNode> origins)
    {
        if (policy.OriginRules.Length == 0)
        {
            Checks.Add(new("policy.origin-rules", CheckStatus.Skipped, $"policy \"{policy.Name}\" has no rule on an origin", Verdict.Restricted));
            return;
        }
        var covered = origins.Where(o => policy.RuleFor(o.RegisteredIn!.Value) is not null).ToList();
        var broken = new List<LineageNode>();
        var undocumented = new List<LineageNode>();
        var exempt = 0;
        var light = new List<LineageNode>();
        foreach (var o in covered)
        {
            var rule = policy.RuleFor(o.RegisteredIn!.Value)!;
            if (o.Document is not { } doc) undocumented.Add(o);
            else if (rule.IsCompliantZone(doc.Mine)) exempt += doc.Carats < rule.AppliesFromCarats ? 1 : 0;
            else if (doc.Carats < rule.AppliesFromCarats) light.Add(o);
            else broken.Add(o);
        }
        // the threshold exempts a light lot, not a heavy one registered as many light parcels: the light parcels from outside
        // the compliant zones of one origin are exempt only while together they stay below the threshold
        foreach (var origin in light.GroupBy(o => o.RegisteredIn!.Value))
        {
            var together = origin.Aggregate(0UL, (sum, o) => sum + o.Document!.Carats);
            if (together >= policy.RuleFor(origin.Key)!.AppliesFromCarats) broken.AddRange(origin);
            else exempt += origin.Count();
        }
        var origins2 = string.Join(", ", policy.OriginRules.Select(r => r.Origin));
        if (broken.Count > 0)
        {
            var details = Report(PolicyRuleKind.CompliantZone, broken);
            Checks.Add(new("policy.origin-rules", CheckStatus.Fail,
                $"{broken.Count} origin parcel(s) come from outside the compliant zones policy \"{policy.Name}\" lists for their origin: {details}", Verdict.Restricted));
            return;
        }
        if (undocumented.Count > 0)
        {
            var hashes = undocumented.Select(o => o.Parcel).ToList();
            Missing.AddRange(hashes);
            Checks.Add(new("policy.origin-rules", CheckStatus.Unknown,
                $"the documents of {hashes.Count} origin parcel(s) from {string.Join(", ", undocumented.Select(o => o.RegisteredIn!.Value).Distinct())} were not given " +
                $"({DocumentVerifier.ShortList(hashes)}): their mine and weight decide whether they come from a compliant zone", Verdict.Restricted));
            return;
        }
        Checks.Add(covered.Count == 0
            ? new("policy.origin-rules", CheckStatus.Pass, $"no origin parcel of the lineage comes from {origins2} (the origins policy \"{policy.Name}\" has rules on)", Verdict.Restricted)
            : new("policy.origin-rules", CheckStatus.Pass,
                $"{covered.Count - exempt} origin parcel(s) from {origins2} come from compliant zones" + (exempt > 0 ? $"; {exempt} weigh less than their rule applies to" : ""),
                Verdict.Restricted));
    }

    private void CheckUntraced(List<LineageNode> untraced)
    {
        if (untraced.Count == 0)
        {
            Checks.Add(new("policy.untraced", CheckStatus.Pass, "every branch of the lineage was traced to a registered origin parcel", Verdict.Restricted));
            return;
        }
        if (policy.Untraced.Action == UntracedAction.Refuse)
        {
            Checks.Add(new("policy.untraced", CheckStatus.Fail,
                $"{untraced.Count} part(s) of the lineage could not be traced to a registered origin parcel, and policy \"{policy.Name}\" refuses an untraced lineage: " +
                Report(PolicyRuleKind.Untraced, untraced), Verdict.Restricted));
            return;
        }
        var missing = new List<Hash32>();
        var share = ShareOf([.. untraced.Select(u => u.Parcel)], missing);
        var limit = Percent(policy.Untraced.MaxShare);
        if (share is not { } s)
        {
            var distinct = missing.Distinct().ToList();
            Missing.AddRange(distinct);
            Report(PolicyRuleKind.Untraced, untraced);
            Checks.Add(new("policy.untraced", CheckStatus.Unknown,
                $"{untraced.Count} part(s) of the lineage could not be traced; policy \"{policy.Name}\" accepts them below {limit} of the shipment's carats, " +
                $"and the documents of {distinct.Count} parcel(s) would give their share ({DocumentVerifier.ShortList(distinct)})", Verdict.Restricted));
            return;
        }
        var details = Report(PolicyRuleKind.Untraced, untraced);
        if (s < policy.Untraced.MaxShare)
        {
            UntracedAccepted = true;
            Checks.Add(new("policy.untraced", CheckStatus.Pass,
                $"{Percent(s)} of the shipment's carats could not be traced ({untraced.Count} part(s)), below the {limit} policy \"{policy.Name}\" accepts: " +
                $"{string.Join(", ", TracingChecks)} are settled by the policy", Verdict.Restricted));
            return;
        }
        Checks.Add(new("policy.untraced", CheckStatus.Fail,
            $"{Percent(s)} of the shipment's carats could not be traced, not below the {limit} policy \"{policy.Name}\" accepts: {details}", Verdict.Restricted));
    }

    /// <summary>Adds a finding per caught parcel (up to <see cref="MaxFindings"/>) and describes them: paths and shares.</summary>
    private string Report(PolicyRuleKind rule, IReadOnlyList<LineageNode> caught)
    {
        var parts = new List<string>();
        foreach (var node in caught.Take(MaxFindings))
        {
            var share = ShareOf([node.Parcel], []);
            var paths = PathsTo(node);
            ulong? carats = share is { } s && shipmentCarats is { } total ? (ulong)Math.Round(s * total) : null;
            Findings.Add(new PolicyFinding(rule, node.Parcel, node.RegisteredIn, node.Document?.Mine, paths, share, carats));
            if (parts.Count < 3)
            {
                var path = string.Join(" <- ", paths[0].Select(h => Label(Find(h))));
                parts.Add(path + (share is { } sh ? $" ({Percent(sh)} of the shipment's carats{(carats is { } c ? $", {c / 100m:0.00} ct" : "")})" : " (share unknown without the documents of the parcels mixed on the way)"));
            }
        }
        if (caught.Count > 1)
        {
            var all = ShareOf([.. caught.Select(c => c.Parcel)], []);
            if (all is { } a) parts.Add($"together {Percent(a)} of the shipment's carats");
        }
        return string.Join("; ", parts) + (caught.Count > 3 ? $" (and {caught.Count - 3} more)" : "");
    }

    private static string Label(LineageNode? n) => n is null ? "?" :
        (n.Document?.ParcelId ?? n.Parcel.ToShortString()) + (n.State.IsOrigin
            ? $" ({n.RegisteredIn?.Value ?? "?"} origin{(n.Document is { Mine.Length: > 0 } d ? $", {d.Mine}" : "")})"
            : $" ({n.State.Holder?.Value ?? "?"})");

    private static string Percent(decimal share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private readonly Dictionary<Hash32, LineageNode> _byHash = [];

    private LineageNode? Find(Hash32 h) => _byHash.GetValueOrDefault(h);

    /// <summary>Every node of the graph, each once.</summary>
    private List<LineageNode> Nodes()
    {
        var stack = new Stack<LineageNode>(roots);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!_byHash.TryAdd(n.Parcel, n)) continue;
            foreach (var p in n.Parents) stack.Push(p);
        }
        return [.. _byHash.Values];
    }

    /// <summary>Up to three paths of parcels from a shipment parcel down to <paramref name="target"/>, following only parents that lead to it.</summary>
    private List<IReadOnlyList<Hash32>> PathsTo(LineageNode target)
    {
        var reaches = new Dictionary<Hash32, bool>();
        bool Reaches(LineageNode n)
        {
            if (reaches.TryGetValue(n.Parcel, out var known)) return known;
            reaches[n.Parcel] = false;
            return reaches[n.Parcel] = n.Parcel == target.Parcel || n.Parents.Any(Reaches);
        }
        var paths = new List<IReadOnlyList<Hash32>>();
        var path = new List<Hash32>();
        void Walk(LineageNode n)
        {
            if (paths.Count >= 3) return;
            path.Add(n.Parcel);
            if (n.Parcel == target.Parcel) paths.Add([.. path]);
            else foreach (var p in n.Parents.Where(Reaches)) Walk(p);
            path.RemoveAt(path.Count - 1);
        }
        foreach (var r in roots.Where(Reaches)) Walk(r);
        return paths;
    }

    /// <summary>
    /// The share of the shipment's carats that came from <paramref name="set"/>: a transformation is taken
    /// to mix its inputs evenly into its outputs, so an output carries its inputs' shares weighted by their
    /// carats (one input: its share as it is). Null when a document needed for a weight is missing (added to <paramref name="missing"/>).
    /// </summary>
    private decimal? ShareOf(HashSet<Hash32> set, List<Hash32> missing)
    {
        var reaches = new Dictionary<Hash32, bool>();
        bool Reaches(LineageNode n)
        {
            if (reaches.TryGetValue(n.Parcel, out var known)) return known;
            reaches[n.Parcel] = false;
            return reaches[n.Parcel] = set.Contains(n.Parcel) || n.Parents.Any(Reaches);
        }
        var shares = new Dictionary<Hash32, decimal?>();
        decimal? Share(LineageNode n)
        {
            if (shares.TryGetValue(n.Parcel, out var known)) return known;
            var s = set.Contains(n.Parcel) ? 1m : !Reaches(n) ? 0m : n.Parents.Count == 1 ? Share(n.Parents[0]) : Weighted(n.Parents);
            shares[n.Parcel] = s;
            return s;
        }
        decimal? Weighted(IReadOnlyList<LineageNode> parts)
        {
            decimal total = 0, from = 0;
            var unknown = false;
            foreach (var p in parts)
            {
                var s = Share(p);
                if (p.Document is not { } doc)
                {
                    missing.Add(p.Parcel);
                    unknown = true;
                }
                else if (s is null) unknown = true;
                else
                {
                    total += doc.Carats;
                    from += doc.Carats * s.Value;
                }
            }
            return unknown || total == 0 ? null : from / total;
        }
        return roots.Count == 1 ? Share(roots[0]) : Weighted(roots);
    }
}
