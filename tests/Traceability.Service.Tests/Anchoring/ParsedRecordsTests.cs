using System.Text;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

[Trait("Category", "Fast")]
public sealed class ParsedRecordsTests : IDisposable
{
    private readonly RecordStore _store = new(Path.Combine(Directory.CreateTempSubdirectory("kp-parsed-").FullName, "store.db"));

    public void Dispose() => _store.Dispose();

    private StoredRecord Pending(out long id)
    {
        var parcel = SampleRecords.OriginParcel();
        var stored = _store.Receive([new IncomingDocument("test", Encoding.UTF8.GetBytes(RecordJson.Write(parcel)))])[0].Id;
        _store.MarkPending([(stored, parcel, parcel.Hash())]);
        id = stored;
        return _store.WithStatus(RecordStage.Pending, 10, withDocument: false).Single(r => r.Id == stored);
    }

    [Fact]
    public void A_record_on_its_way_is_parsed_once_even_from_a_row_read_without_its_document_and_forgotten_once_settled()
    {
        var parsed = new ParsedRecords(_store);
        var row = Pending(out var id);
        var first = parsed.Of(row);
        Assert.Same(first, parsed.Of(row));
        Assert.Equal(row.Hash, first.Hash());
        parsed.Forget([id]);
        Assert.False(parsed.Contains(id));
        Assert.NotSame(first, parsed.Of(row));
    }

    [Fact]
    public void A_settled_record_read_for_a_lookup_is_not_kept()
    {
        var parsed = new ParsedRecords(_store);
        Pending(out var id);
        var batch = _store.StartBatch(Core.Records.RecordKind.Parcel, [id]);
        _store.BatchConfirmed(batch, "0x" + new string('e', 64), 1, 1);
        parsed.Of(_store.ById(id)!);
        Assert.Equal(0, parsed.Count);
    }

    [Fact]
    public void A_submitted_row_read_before_its_batch_was_confirmed_in_the_background_is_not_kept_after_it()
    {
        // the checks list the submitted transformations, then a batch's receipt arrives in the background (confirmed, then
        // forgotten), then the checks ask for the parsed record of the row they listed: kept again, nothing would ever forget it,
        // and enough of them (MaxParsedBacklog) stop validation for good
        var parsed = new ParsedRecords(_store);
        Pending(out var id);
        var batch = _store.StartBatch(Core.Records.RecordKind.Parcel, [id]);
        var listed = _store.WithStatus(RecordStage.Submitted, 10, withDocument: false).Single(r => r.Id == id);
        _store.BatchConfirmed(batch, "0x" + new string('e', 64), 1, 1);
        parsed.Forget([id]);

        Assert.Equal(listed.Hash, parsed.Of(listed).Hash());
        Assert.Equal(0, parsed.Count);
    }
}
