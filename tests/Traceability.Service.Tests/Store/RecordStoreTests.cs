using System.Text;
using Traceability.Service.Hosting;
using Traceability.Service.Store;

namespace Traceability.Service.Tests.Store;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes and FIFOs are POSIX
public class RecordStoreTests
{
    private static string NewPath() => new ServiceLayout(Directory.CreateTempSubdirectory("kp-store-").FullName).StorePath;

    private static IncomingDocument Doc(string source, string text) => new(source, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Stores_durably_so_a_new_connection_after_close_sees_every_record()
    {
        var path = NewPath();
        using (var store = new RecordStore(path))
        {
            var ids = store.Receive([Doc("a.json", "{1}"), Doc("b.json", "{2}")]);
            Assert.All(ids, r => Assert.True(r.IsNew));
        }
        using var reopened = new RecordStore(path);
        var received = reopened.WithStatus(RecordStatus.Received, 10);
        Assert.Equal(["a.json", "b.json"], received.Select(r => r.Source));
        Assert.Equal("{2}", Encoding.UTF8.GetString(received[1].Document));
    }

    [Fact]
    public void The_same_file_read_again_after_a_crash_is_not_stored_twice()
    {
        using var store = new RecordStore(NewPath());
        var first = store.Receive([Doc("a.json", "{1}")])[0];
        var again = store.Receive([Doc("a.json", "{1}"), Doc("a.json", "{changed}"), Doc("b.json", "{1}")]);
        Assert.Equal((first.Id, false), again[0]);
        Assert.True(again[1].IsNew);
        Assert.True(again[2].IsNew);
        Assert.Equal(3, store.Counts()[RecordStatus.Received]);
    }

    [Fact]
    public void Walks_a_record_through_pending_submitted_and_confirmed()
    {
        using var store = new RecordStore(NewPath());
        var ids = store.Receive([Doc("a", "1"), Doc("b", "2"), Doc("c", "3")]).Select(r => r.Id).ToList();
        store.MarkPending(ids.Select((id, i) => (id, "parcel", "0x" + new string((char)('a' + i), 64))));
        Assert.Equal("0x" + new string('a', 64), store.ById(ids[0])!.RecordHash);
        Assert.Equal(2, store.Accepted(["0x" + new string('a', 64), "0x" + new string('b', 64), "0x" + new string('f', 64)]).Count);

        var batch = store.StartBatch("parcel", ids[..2]);
        Assert.Equal(2, store.Counts()[RecordStatus.Submitted]);
        store.BatchSent(batch, "0xabc");
        Assert.Equal((batch, "parcel", "0xabc"), store.SubmittedBatches().Single());
        store.BatchConfirmed(batch, "0xabc", 7, 50_000);
        Assert.Equal(2, store.Counts()[RecordStatus.Confirmed]);
        Assert.Equal(7, store.ById(ids[0])!.BlockNumber);
        Assert.Equal((50_000L, 2L, 1L), store.ConfirmedGas());

        var failed = store.StartBatch("parcel", [ids[2]]);
        store.BatchFailed(failed);
        Assert.Equal(RecordStatus.Pending, store.ById(ids[2])!.Status);
        Assert.Empty(store.SubmittedBatches());
    }

    [Fact]
    public void Keeps_a_rejected_record_with_its_reason()
    {
        using var store = new RecordStore(NewPath());
        var id = store.Receive([Doc("bad.json", "{")])[0].Id;
        store.Reject([(id, null, null, "format", "document", "is not valid JSON")]);
        var r = store.ById(id)!;
        Assert.Equal((RecordStatus.Rejected, "format", "document", "is not valid JSON"), (r.Status, r.Rule, r.Field, r.Reason));
        Assert.Equal("{", Encoding.UTF8.GetString(r.Document));
    }

    [Fact]
    public void A_document_handed_over_again_after_its_rejection_is_a_new_record_but_not_after_it_was_accepted()
    {
        using var store = new RecordStore(NewPath());
        var first = store.Receive([Doc("kp submit:p.json", "{1}")])[0];
        store.Reject([(first.Id, "parcel", null, "NotAMember", "participant", "not yet a member")]);
        var again = store.Receive([Doc("kp submit:p.json", "{1}")], resubmission: true)[0];
        Assert.True(again.IsNew);
        Assert.NotEqual(first.Id, again.Id);
        Assert.Equal(RecordStatus.Rejected, store.ById(first.Id)!.Status); // the first rejection stays on record
        store.MarkPending([(again.Id, "parcel", "0x" + new string('a', 64))]);
        Assert.Equal((again.Id, false), store.Receive([Doc("kp submit:p.json", "{1}")], resubmission: true)[0]);
    }

    [Fact]
    public void A_record_settled_by_one_writer_is_not_undone_by_another()
    {
        using var store = new RecordStore(NewPath());
        var id = store.Receive([Doc("a.json", "{1}")])[0].Id;
        store.MarkPending([(id, "parcel", "0x" + new string('b', 64))]);
        store.Reject([(id, null, null, "format", "document", "late verdict of a second writer")]);
        Assert.Equal(RecordStatus.Rejected, store.ById(id)!.Status);
        store.MarkPending([(id, "parcel", "0x" + new string('b', 64))]); // a stale "valid" verdict does not revive it
        Assert.Equal(RecordStatus.Rejected, store.ById(id)!.Status);
    }

    [Fact]
    public void The_store_is_readable_by_its_owner_only()
    {
        var path = NewPath();
        using var store = new RecordStore(path);
        store.Receive([Doc("a.json", "{1}")]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }
}
