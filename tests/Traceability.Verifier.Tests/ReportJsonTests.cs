using System.Text.Json;
using System.Text.Json.Nodes;
using Traceability.Chain.Registry;
using Traceability.Core.Participants;
using Traceability.Core.Primitives;
using Traceability.Core.Records;

namespace Traceability.Verifier.Tests;

/// <summary>The report's JSON shape, shared by kp verify --json and POST /api/v1/verify: the same whatever the serializer's options.</summary>
[Trait("Category", "Fast")]
public class ReportJsonTests
{
    private static VerificationReport Report()
    {
        var origin = new LineageNode(Hash32.FromBytes(new byte[32]), new ParcelState(Hash32.FromBytes(new byte[32]), ParticipantCode.Parse("BW"),
            ParcelStatus.Consumed, RecordFlag.None, 1, 1, null), null, [], ParticipantCode.Parse("BW"), null);
        var one = new byte[32];
        one[31] = 1;
        var child = new LineageNode(Hash32.FromBytes(one), new ParcelState(Hash32.FromBytes(one), ParticipantCode.Parse("AE"), ParcelStatus.Locked,
            RecordFlag.Suspicious, 2, 2, new byte[20]), Hash32.FromBytes(one), [origin, origin], null, null);
        return new VerificationReport(RecordKind.ImportConfirmation, Hash32.FromBytes(one), "certificate X", Verdict.NotFound,
            [new Check("certificate.registered", CheckStatus.Fail, "never issued", Verdict.NotFound)], [child], [ParticipantCode.Parse("BW")], 3,
            new ChainPoint(31337, "0xabc", 7, "0xdef", 100), []);
    }

    [Fact]
    public void Enums_are_camelCase_strings_names_are_fixed_and_a_shared_parent_is_written_once()
    {
        foreach (var options in new[] { ReportJson.Options, new JsonSerializerOptions(), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseUpper } })
        {
            var json = JsonNode.Parse(JsonSerializer.Serialize(ReportJson.From(Report()), options))!;
            Assert.Equal("notFound", (string?)json["verdict"]);
            Assert.Equal("importConfirmation", (string?)json["kind"]);
            Assert.Equal("fail", (string?)json["checks"]![0]!["status"]);
            Assert.Equal(31337, (int)json["checkedAgainst"]!["chainId"]!);
            Assert.Equal(3, (int)json["rpcRoundTrips"]!);
            var node = json["lineage"]![0]!;
            Assert.Equal("locked", (string?)node["status"]);
            Assert.Equal("suspicious", (string?)node["flag"]);
            Assert.False((bool)node["origin"]!);
            Assert.Null(node["registeredIn"]);
            var parents = node["parents"]!.AsArray();
            Assert.True((bool)parents[0]!["origin"]!);
            Assert.Equal("BW", (string?)parents[0]!["registeredIn"]);
            Assert.Equal("none", (string?)parents[0]!["flag"]);
            Assert.True((bool)parents[1]!["shownAbove"]!);
            Assert.Null(parents[1]!["status"]);
            Assert.Null(parents[1]!["parents"]);
        }
    }
}
