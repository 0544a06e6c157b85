using Traceability.Core.Epcis;
using Traceability.Testing;

namespace Traceability.Core.Tests.Epcis;

/// <summary>
/// The EPCIS Event Hash ID equals the reference implementation's on every vector in data/epcis/hash-vectors/ (its
/// example documents with their .hashes, one line an event in document order, and .prehashes, the canonical strings).
/// </summary>
[Trait("Category", "Fast")]
public sealed class EpcisHashVectorTests
{
    private static string Folder => RepoPaths.Under("data", "epcis", "hash-vectors");

    private static List<string> Names() => [.. Directory.GetFiles(Folder, "*.jsonld").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Vectors() => [.. Names()];

    private static string[] Lines(string file) =>
        File.Exists(file) ? [.. File.ReadAllText(file).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)] : [];

    [Fact]
    public void The_vectors_are_all_there()
    {
        // the seven documents (ten events) from the reference: a vector silently lost would weaken every test below
        string[] known = ["ReferenceEventHashAlgorithm", "ReferenceEventHashAlgorithm2", "ReferenceEventHashAlgorithm3", "TimeStampRoundOff",
            "epcisDocWithAllGS1Keys", "epcisDocWithShippingAndTransportingEvent", "epcisDocWithSingleEvent"];
        Assert.Superset(known.ToHashSet(), Names().ToHashSet());
        Assert.Equal(10, known.Sum(v => Lines(Path.Combine(Folder, v + ".hashes")).Length));
        Assert.All(Names(), v => Assert.True(File.Exists(Path.Combine(Folder, v + ".hashes")), $"{v}.jsonld has no {v}.hashes"));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_hash_of_every_event_equals_the_vector_in_document_order(string vector)
    {
        var expected = Lines(Path.Combine(Folder, vector + ".hashes"));
        Assert.NotEmpty(expected);
        var hashes = EpcisEventHasher.HashDocument(File.ReadAllText(Path.Combine(Folder, vector + ".jsonld")));
        Assert.Equal(Enumerable.Range(0, hashes.Count), hashes.Select(h => h.Index));
        Assert.Equal(expected, hashes.Select(h => h.HashId));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_pre_hash_strings_equal_the_vector_where_it_gives_them(string vector)
    {
        var expected = Lines(Path.Combine(Folder, vector + ".prehashes"));
        var hashes = Lines(Path.Combine(Folder, vector + ".hashes"));
        var actual = EpcisEventHasher.PreHashes(File.ReadAllText(Path.Combine(Folder, vector + ".jsonld")));
        for (var i = 0; i < expected.Length; i++)
        {
            // a line whose own hash is not the event's hash is damaged in the vector (see data/epcis/hash-vectors/README.md):
            // the hash test above is the check for that event
            if (i >= hashes.Length || EpcisEventHasher.HashIdOf(expected[i]) != hashes[i]) continue;
            AssertSameText(expected[i], actual[i], $"{vector}, event {i}");
        }
    }

    [Fact]
    public void Only_the_damaged_pre_hash_line_is_skipped()
    {
        // every .prehashes line is checked except the one line known to be damaged (its own hash is not the event's)
        var damaged = Names().SelectMany(v =>
        {
            var hashes = Lines(Path.Combine(Folder, v + ".hashes"));
            return Lines(Path.Combine(Folder, v + ".prehashes")).Select((p, i) => (v, i, ok: i < hashes.Length && EpcisEventHasher.HashIdOf(p) == hashes[i]));
        }).Where(x => !x.ok).Select(x => $"{x.v}:{x.i}").ToList();
        Assert.Equal(["epcisDocWithAllGS1Keys:0"], damaged);
    }

    /// <summary>Equal strings, or a failure showing the first differing position and the text around it in both.</summary>
    internal static void AssertSameText(string expected, string actual, string context)
    {
        if (expected == actual) return;
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
        var from = Math.Max(0, at - 40);
        string Around(string s) => at >= s.Length ? $"{s[from..]}<end>" : $"{s[from..at]}[{s[at]}]{s[(at + 1)..Math.Min(s.Length, at + 40)]}";
        Assert.Fail($"{context}: pre-hash strings differ at position {at} (of {expected.Length} expected, {actual.Length} actual)\n"
            + $"  expected: …{Around(expected)}\n  actual:   …{Around(actual)}");
    }
}
