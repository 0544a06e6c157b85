using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>F5: one record the JSON reader cannot decode is rejected as a format error; it never stops the validation of the others.</summary>
[Trait("Category", "Fast")]
public sealed class PoisonRecordTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kp-poison-").FullName;
    private readonly RecordStore _store;

    public PoisonRecordTests() => _store = new RecordStore(Path.Combine(_folder, "store.db"));

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
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
