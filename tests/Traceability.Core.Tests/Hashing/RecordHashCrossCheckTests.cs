using System.Text.Json;
using System.Text.RegularExpressions;
using Traceability.Core.Hashing;
using Traceability.Core.Participants;
using Traceability.Core.Records;
using Traceability.Testing;

namespace Traceability.Core.Tests.Hashing;

/// <summary>
/// The records' EIP-712 hashes against independent implementations: ethers.js
/// TypedDataEncoder (run through node) and the Solidity type strings of the contract.
/// </summary>
[Trait("Category", "Fast")]
public class RecordHashCrossCheckTests
{
    private static readonly Eip712Domain Domain = new(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    public static IEnumerable<KpRecord> Records()
    {
        var p1 = SampleRecords.OriginParcel("BW");
        var p2 = SampleRecords.OriginParcel("CF", mine: "Berbérati");
        var derived = SampleRecords.DerivedParcel("AE", 90_000, "BW", "CF");
        var cert = SampleRecords.Certificate("BW", "AE", [p1.Hash(), p2.Hash()], origins: ["BW", "CF"]);
        return
        [
            p1, p2, derived,
            SampleRecords.Transformation("AE", [p1.Hash(), p2.Hash()], [derived, SampleRecords.DerivedParcel("AE", 1, "BW")]),
            cert,
            SampleRecords.Confirmation(cert),
            SampleRecords.Certificate("AE", "IN", [.. Enumerable.Range(0, 40).Select(_ => SampleRecords.OriginParcel("AE").Hash())],
                carats: ulong.MaxValue / 2),
        ];
    }

    [Fact]
    public async Task Every_record_type_hashes_as_ethers_TypedDataEncoder_does()
    {
        var records = Records().ToList();
        var docs = records.Select(r => TypedDataJson.Write(RecordSchema.Schema, r.ToEip712(), Domain)).ToList();
        var output = await NodeScript.RunAsync("tests/tools/eip712-hash.js", "[" + string.Join(",", docs) + "]");
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(records.Count, results.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var structHash = records[i].Hash();
            Assert.Equal(structHash.ToString(), results[i].GetProperty("structHash").GetString());
            Assert.Equal(Domain.Separator().ToString(), results[i].GetProperty("domainSeparator").GetString());
            Assert.Equal(Eip712Encoder.Digest(Domain.Separator(), structHash).ToString(), results[i].GetProperty("digest").GetString());
        }
    }

    [Fact]
    public void A_parcels_hand_encoded_hashes_equal_the_generic_EIP712_encoders()
    {
        var origins = Enumerable.Range(0, 20).Select(i => ParticipantCode.Parse($"{(char)('A' + i)}{(char)('Z' - i)}")).ToArray();
        ParcelRecord[] parcels =
        [
            SampleRecords.OriginParcel("BW"),
            SampleRecords.OriginParcel("CF", mine: "Berbérati"),
            SampleRecords.DerivedParcel("AE", 90_000, "BW", "CF"),
            SampleRecords.OriginParcel("BW") with { Origins = [.. origins], Carats = ulong.MaxValue, ValueUsdCents = 0, RecordedAt = ulong.MaxValue },
        ];
        foreach (var p in parcels)
        {
            Assert.Equal(Eip712Encoder.HashStruct(RecordSchema.Schema, p.DetailsToEip712()), p.DetailsHash());
            Assert.Equal(Eip712Encoder.HashStruct(RecordSchema.Schema, p.ToEip712()), p.Hash());
        }
    }

    [Fact]
    public async Task The_issue_message_an_authority_signs_hashes_as_ethers_does()
    {
        var cert = (CertificateRecord)Records().First(r => r is CertificateRecord);
        var message = cert.IssueMessage(deadline: 2_000_000_000);
        var doc = TypedDataJson.Write(RecordSchema.Schema, message, Domain);
        var output = await NodeScript.RunAsync("tests/tools/eip712-hash.js", "[" + doc + "]");
        var digest = JsonDocument.Parse(output).RootElement[0].GetProperty("digest").GetString();
        Assert.Equal(Eip712Encoder.Digest(Domain.Separator(), Eip712Encoder.HashStruct(RecordSchema.Schema, message)).ToString(), digest);
    }

    [Fact]
    public void Certificate_type_strings_equal_the_contracts()
    {
        var source = File.ReadAllText(RepoPaths.Under("contracts", "libraries", "CertificateHashing.sol"));
        string Constant(string name)
        {
            var m = Regex.Match(source, $@"bytes internal constant {name} =\s*((?:""[^""]*""\s*)+);");
            Assert.True(m.Success, $"{name} not found in CertificateHashing.sol");
            return string.Concat(Regex.Matches(m.Groups[1].Value, "\"([^\"]*)\"").Select(x => x.Groups[1].Value));
        }
        Assert.Equal(RecordSchema.Schema.EncodeType("Certificate"), Constant("CERTIFICATE_TYPE") + Constant("DETAILS_TYPE"));
        Assert.Equal(RecordSchema.Schema.EncodeType("CertificateDetails"), Constant("DETAILS_TYPE"));
    }

    [Fact]
    public void Parcel_and_transformation_type_strings_equal_the_contracts()
    {
        var source = File.ReadAllText(RepoPaths.Under("contracts", "libraries", "ParcelHashing.sol"));
        string Literal(string name, string kind)
        {
            var m = Regex.Match(source, $@"{kind} internal constant {name} =\s*(?:keccak256\()?\s*((?:""[^""]*""\s*)+)");
            Assert.True(m.Success, $"{name} not found in ParcelHashing.sol");
            return string.Concat(Regex.Matches(m.Groups[1].Value, "\"([^\"]*)\"").Select(x => x.Groups[1].Value));
        }
        Assert.Equal(RecordSchema.Schema.EncodeType("ParcelDetails"), Literal("PARCEL_DETAILS_TYPE", "bytes"));
        Assert.Equal(RecordSchema.Schema.EncodeType("TransformationDetails"), Literal("TRANSFORMATION_DETAILS_TYPE", "bytes"));
        Assert.Equal(RecordSchema.Schema.EncodeType("Parcel"), Literal("PARCEL_TYPEHASH", "bytes32"));
        Assert.Equal(RecordSchema.Schema.EncodeType("Transformation"), Literal("TRANSFORMATION_TYPEHASH", "bytes32"));
    }

    [Fact]
    public void A_parcels_hash_is_bound_to_its_participant()
    {
        var parcel = SampleRecords.OriginParcel("BW");
        Assert.Equal(parcel.Hash(), ParcelRecord.HashOf(parcel.Participant, parcel.DetailsHash()));
        var elsewhere = parcel with { Participant = ParticipantCode.Parse("AE") };
        Assert.Equal(parcel.DetailsHash(), elsewhere.DetailsHash());
        Assert.NotEqual(parcel.Hash(), elsewhere.Hash());
    }

    [Fact]
    public void A_transformations_hash_commits_to_every_input_and_output()
    {
        var a = SampleRecords.DerivedParcel("BW", 100, "BW");
        var b = SampleRecords.DerivedParcel("BW", 100, "BW");
        var input = SampleRecords.OriginParcel("BW").Hash();
        var t = SampleRecords.Transformation("BW", [input], [a, b], "split");
        Assert.True(t.OutputDetailsMatch);
        var onlyA = t with { Outputs = [a.Hash()], OutputDetails = [a.DetailsHash()] };
        Assert.NotEqual(t.Hash(), onlyA.Hash());
        Assert.NotEqual(t.Hash(), (t with { Inputs = [SampleRecords.OriginParcel("BW").Hash()] }).Hash());
    }

    [Fact]
    public void A_changed_field_or_salt_changes_the_hash()
    {
        var parcel = SampleRecords.OriginParcel();
        Assert.NotEqual(parcel.Hash(), (parcel with { Carats = parcel.Carats + 1 }).Hash());
        Assert.NotEqual(parcel.Hash(), (parcel with { Salt = Core.Primitives.Salt.New() }).Hash());
        Assert.Equal(parcel.Hash(), (parcel with { }).Hash());
    }
}
