using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>
/// The worker's validation of records handed over received (kp submit): one record the JSON reader cannot decode is rejected as a
/// format error and never stops the others (F5); memory stays bounded and the drop folder never starves it.
/// </summary>
[Trait("Category", "Fast")]
public sealed class ValidateReceivedTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kp-validate-").FullName;
    private readonly RecordStore _store;

    public ValidateReceivedTests() => _store = new RecordStore(Path.Combine(_folder, "store.db"));

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void With_the_parsed_records_full_a_received_record_is_still_validated_and_made_pending_without_being_kept()
    {
        // the drop folder keeps the parsed records full under a steady flow: a record handed over by kp submit must not wait for room
        var options = new AnchoringOptions();
        var parsed = new ParsedRecords(_store);
        var filler = SampleRecords.OriginParcel();
        for (var id = 1_000_000; id < 1_000_000 + ParsedRecords.Capacity(options); id++) parsed.Remember(id, filler);
        var submitted = SampleRecords.OriginParcel();
        var (id0, _) = _store.Receive([new IncomingDocument("kp submit:p.json", Encoding.UTF8.GetBytes(RecordJson.Write(submitted)))])[0];
        var anchorer = new Anchorer(_store, null!, null!, parsed, new RejectedArea(Path.Combine(_folder, "rejected")), options, NullLogger<Anchorer>.Instance);

        Assert.Equal(1, anchorer.ValidateReceived());
        Assert.Equal((RecordStage.Pending, submitted.Hash()), (_store.ById(id0)!.Stage, _store.ById(id0)!.Hash));
        Assert.False(parsed.Contains(id0)); // no room: parsed again when its batch is made
        Assert.Equal(submitted.Hash(), parsed.Of(_store.ById(id0)!).Hash());
    }

    private static byte[] LoneSurrogate()
    {
        var json = RecordJson.Write(SampleRecords.OriginParcel());
        return Encoding.UTF8.GetBytes(json.Replace("\"mine\": \"", "\"mine\": \"X\\ud800", StringComparison.Ordinal));
    }

    private static byte[] RawFF()
    {
        var json = Encoding.UTF8.GetBytes(RecordJson.Write(SampleRecords.OriginParcel()).Replace("\"mine\": \"", "\"mine\": \"X", StringComparison.Ordinal));
        var at = Encoding.UTF8.GetString(json).IndexOf("\"mine\": \"X", StringComparison.Ordinal) + "\"mine\": \"".Length;
        json[at] = 0xFF;
        return json;
    }

    [Theory]
    [InlineData("surrogate")]
    [InlineData("ff")]
    public void A_record_with_undecodable_text_is_rejected_as_format_and_the_others_are_validated(string kind)
    {
        var stored = RecordValidator.Validate(new StoredRecord { Id = 1, Source = "x.json", Stage = RecordStage.Received, Document = kind == "ff" ? RawFF() : LoneSurrogate() }, DateTimeOffset.UtcNow);
        Assert.Equal(("format", "mine"), (stored.Rule, stored.Field));

        var good = SampleRecords.OriginParcel();
        _store.Receive([
            new IncomingDocument("poison.json", kind == "ff" ? RawFF() : LoneSurrogate()),
            new IncomingDocument("good.json", Encoding.UTF8.GetBytes(RecordJson.Write(good))),
        ]);
        var anchorer = new Anchorer(_store, null!, null!, new ParsedRecords(_store), new RejectedArea(Path.Combine(_folder, "rejected")),
            new AnchoringOptions(), NullLogger<Anchorer>.Instance);
        Assert.Equal(2, anchorer.ValidateReceived());
        var poison = _store.WithStatus(RecordStage.Rejected, 10).Single();
        Assert.Equal(("poison.json", "format", "mine"), (poison.Source, poison.Rule, poison.Field));
        Assert.Equal(good.Hash().ToString(), _store.WithStatus(RecordStage.Pending, 10).Single().Hash!.Value.ToString());
        Assert.Empty(_store.WithStatus(RecordStage.Received, 10));
    }
}
