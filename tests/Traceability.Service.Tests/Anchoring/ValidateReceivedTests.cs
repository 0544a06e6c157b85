using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Traceability.Core.Json;
using Traceability.Service.Anchoring;
using Traceability.Service.Store;
using Traceability.Testing;

namespace Traceability.Service.Tests.Anchoring;

/// <summary>The worker's validation of records handed over received (kp submit): bounded memory, never starved by the drop folder.</summary>
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
}
